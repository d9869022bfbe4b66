using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;

namespace AgentAspire.Agents.Mcp;

/// <summary>
/// A tool of an MCP server as an <see cref="IAgentTool"/>: its name, description and input schema as the server
/// lists them, its TTL from the server's settings (zero for a tool in <c>NoCache</c>), its results cached under
/// <c>mcp.SERVER.TOOL</c>. A model loop offers it like the app's own tools, and the worker calls it through the
/// tool cache and the run's journal.
/// </summary>
public sealed partial class McpTool : IAgentTool
{
    private readonly McpServerConnection _connection;

    internal McpTool(McpServerConnection connection, Tool tool)
    {
        _connection = connection;
        Name = tool.Name;
        Description = string.IsNullOrWhiteSpace(tool.Description) ? tool.Name : tool.Description;
        InputSchema = tool.InputSchema.Clone();
        Server = connection.Settings.Name;
        Ttl = connection.Settings.TtlOf(tool.Name);
        CacheName = CacheNameOf(Server, tool.Name);
    }

    /// <summary>The tool's name as the server lists it.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The server's JSON schema of the arguments.</summary>
    public JsonElement? InputSchema { get; }

    /// <summary>The configured name of the server.</summary>
    public string Server { get; }

    /// <inheritdoc />
    public string CacheName { get; }

    /// <inheritdoc />
    public TimeSpan Ttl { get; }

    /// <summary>Arguments are JSON checked by the server against <see cref="InputSchema"/>.</summary>
    public Type ArgumentType => typeof(JsonElement);

    /// <summary>The structured content of the answer, or its text.</summary>
    public Type ResultType => typeof(JsonElement);

    /// <inheritdoc />
    /// <exception cref="McpServerUnavailableException">The server could not be reached or did not answer in time.</exception>
    /// <exception cref="McpToolErrorException">The server answered with an error.</exception>
    public Task<JsonElement> InvokeAsync(JsonElement args, ToolInvocation invocation, CancellationToken cancellationToken) =>
        _connection.CallAsync(Name, args, cancellationToken);

    // The tool cache takes lower-case names of at most 64 characters; a name that does not fit keeps a hash of itself.
    internal static string CacheNameOf(string server, string tool)
    {
        var name = $"mcp.{server}.{tool}";
        if (CacheNamePattern().IsMatch(name))
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tool)))[..12];
        var readable = InvalidCharacters().Replace(tool.ToLowerInvariant(), "-");
        var prefix = $"mcp.{server}.";
        return prefix + readable[..Math.Min(readable.Length, 64 - prefix.Length - 13)] + "." + hash;
    }

    [GeneratedRegex(@"^[a-z0-9_.-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CacheNamePattern();

    [GeneratedRegex(@"[^a-z0-9_.-]", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidCharacters();
}
