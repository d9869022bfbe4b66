namespace AgentAspire.Agents.Mcp;

/// <summary>
/// An MCP server could not be reached, broke off or did not answer in time: an infrastructure fault, which the step
/// pipeline retries like any other, never an empty result.
/// </summary>
public sealed class McpServerUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="server">The server's configured name.</param>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The transport's error.</param>
    public McpServerUnavailableException(string server, string message, Exception? innerException = null)
        : base($"MCP server '{server}' is unavailable: {message}", innerException) => Server = server;

    /// <summary>The server's configured name.</summary>
    public string Server { get; }
}
