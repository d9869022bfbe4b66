using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentAspire.Agents.Mcp;

/// <summary>
/// The MCP servers of the configuration (<c>Mcp:Servers:NAME</c>) as sources of tools. An agent takes the tools of a
/// server, all or by name, and offers them to its model loop; the worker connects when it starts and each server is
/// connected again on the first use after a failure. Only the worker connects: the API, which builds the same agents,
/// never asks for the tools.
/// </summary>
/// <example>
/// <code>
/// public sealed class AskStep(McpToolSources mcp) : ModelLoopStep&lt;MyInput&gt;
/// {
///     protected override IReadOnlyList&lt;IAgentTool&gt; Tools => [];
///     protected override async ValueTask&lt;IReadOnlyList&lt;IAgentTool&gt;&gt; GetToolsAsync(StepContext context) =>
///         await mcp.GetToolsAsync("research", context.CancellationToken);
///     …
/// }
/// </code>
/// </example>
public sealed class McpToolSources : IAsyncDisposable, IDisposable
{
    private readonly Lazy<IReadOnlyDictionary<string, McpServerConnection>> _servers;

    /// <summary>Creates the sources of the configured servers; nothing connects yet.</summary>
    /// <param name="configuration">The configuration holding <c>Mcp:Servers</c>; without one, no server.</param>
    /// <param name="loggerFactory">Logs connections and failures.</param>
    public McpToolSources(IConfiguration? configuration = null, ILoggerFactory? loggerFactory = null)
    {
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        // Read on first use: the API builds agents that hold this without ever connecting.
        _servers = new(() => (configuration is null ? new Dictionary<string, McpServerSettings>() : McpServerSettings.Read(configuration))
            .ToDictionary(server => server.Key, server => new McpServerConnection(server.Value, loggers), StringComparer.Ordinal));
    }

    /// <summary>The names of the configured servers.</summary>
    public IEnumerable<string> Servers => _servers.Value.Keys;

    /// <summary>Every tool of a server.</summary>
    /// <param name="server">The server's configured name.</param>
    /// <param name="cancellationToken">Stops waiting for the server.</param>
    /// <returns>The tools, as the server listed them when this worker connected.</returns>
    /// <exception cref="InvalidOperationException">No server of that name is configured.</exception>
    /// <exception cref="McpServerUnavailableException">The server could not be reached or did not answer in time.</exception>
    public Task<IReadOnlyList<IAgentTool>> GetToolsAsync(string server, CancellationToken cancellationToken = default) =>
        Connection(server).GetToolsAsync(cancellationToken);

    /// <summary>Some tools of a server, by name, in the order given.</summary>
    /// <param name="server">The server's configured name.</param>
    /// <param name="tools">The tools' names as the server lists them.</param>
    /// <param name="cancellationToken">Stops waiting for the server.</param>
    /// <returns>The tools.</returns>
    /// <exception cref="InvalidOperationException">No server of that name is configured, or it has no tool of one of the names.</exception>
    /// <exception cref="McpServerUnavailableException">The server could not be reached or did not answer in time.</exception>
    public async Task<IReadOnlyList<IAgentTool>> GetToolsAsync(string server, IEnumerable<string> tools, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var offered = await GetToolsAsync(server, cancellationToken).ConfigureAwait(false);
        return tools.Select(name => offered.FirstOrDefault(tool => tool.Name == name)
                ?? throw new InvalidOperationException($"MCP server '{server}' has no tool '{name}'; it offers: {string.Join(", ", offered.Select(tool => tool.Name))}."))
            .ToList();
    }

    /// <summary>Connects to every configured server and lists its tools; a server that fails is logged and tried again on first use.</summary>
    /// <param name="cancellationToken">Stops connecting.</param>
    /// <returns>A task that ends when every server answered or failed.</returns>
    public Task ConnectAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_servers.Value.Values.Select(async connection =>
        {
            try
            {
                await connection.GetToolsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (McpServerUnavailableException)
            {
                // Logged by the connection; the first step that needs the server tries again.
            }
        }));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_servers.IsValueCreated)
        {
            foreach (var connection in _servers.Value.Values)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>For a container disposed synchronously; <see cref="DisposeAsync"/> is preferred.</remarks>
    public void Dispose()
    {
        if (_servers.IsValueCreated)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private McpServerConnection Connection(string server)
    {
        ArgumentException.ThrowIfNullOrEmpty(server);
        return _servers.Value.TryGetValue(server, out var connection)
            ? connection
            : throw new InvalidOperationException(
                $"No MCP server named '{server}' is configured; set '{McpServerSettings.SectionName}:{server}:Endpoint' or ':Command'. Configured: {(_servers.Value.Count == 0 ? "none" : string.Join(", ", _servers.Value.Keys))}.");
    }
}
