namespace AgentAspire.Agents.Mcp;

/// <summary>An MCP server ran a tool and answered with an error (<c>isError</c>): a step error carrying the server's message.</summary>
public sealed class McpToolErrorException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="server">The server's configured name.</param>
    /// <param name="tool">The tool that failed.</param>
    /// <param name="serverMessage">What the server said.</param>
    public McpToolErrorException(string server, string tool, string serverMessage)
        : base($"Tool '{tool}' of MCP server '{server}' failed: {serverMessage}")
    {
        Server = server;
        Tool = tool;
        ServerMessage = serverMessage;
    }

    /// <summary>The server's configured name.</summary>
    public string Server { get; }

    /// <summary>The tool that failed.</summary>
    public string Tool { get; }

    /// <summary>What the server said.</summary>
    public string ServerMessage { get; }
}
