using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentAspire.Agents.Mcp;

/// <summary>
/// The worker's one client of one MCP server: connects on first use, lists the server's tools once per connection,
/// and calls them. A transport that fails is dropped, so the next try (the step's retry) connects afresh; every such
/// failure is a <see cref="McpServerUnavailableException"/>.
/// </summary>
internal sealed partial class McpServerConnection(McpServerSettings settings, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = loggerFactory.CreateLogger<McpServerConnection>();
    private McpClient? _client;
    private IReadOnlyList<IAgentTool>? _tools;

    public McpServerSettings Settings => settings;

    /// <summary>The server's tools, listed when this worker connected.</summary>
    /// <exception cref="McpServerUnavailableException">The server could not be reached or did not answer in time.</exception>
    public async Task<IReadOnlyList<IAgentTool>> GetToolsAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tools) is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tools is not null)
            {
                return _tools;
            }

            var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            var listed = await WithinTimeoutAsync("listing its tools", async ct => await client.ListToolsAsync(cancellationToken: ct).ConfigureAwait(false), client, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<IAgentTool> tools = [.. listed.Select(tool => new McpTool(this, tool.ProtocolTool))];
            var names = string.Join(", ", tools.Select(tool => tool.Name));
            LogListed(_logger, settings.Name, tools.Count, names);

            Volatile.Write(ref _tools, tools);
            return tools;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Calls a tool; its result is the structured content when the server gives one, else its text.</summary>
    /// <exception cref="McpServerUnavailableException">The server could not be reached or did not answer in time.</exception>
    /// <exception cref="McpToolErrorException">The server answered the call with an error.</exception>
    public async Task<JsonElement> CallAsync(string tool, JsonElement arguments, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var values = arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(property => property.Name, property => (object?)property.Value, StringComparer.Ordinal)
            : throw new ToolArgumentException(tool, $"expected a JSON object of arguments, got {arguments.ValueKind}.");
        CallToolResult result;
        try
        {
            result = await WithinTimeoutAsync($"calling '{tool}'", async ct => await client.CallToolAsync(tool, values, cancellationToken: ct).ConfigureAwait(false), client, cancellationToken).ConfigureAwait(false);
        }
        catch (McpProtocolException ex) when (ex.ErrorCode == McpErrorCode.InvalidParams)
        {
            // Arguments the server refuses are the model's to correct, as with the app's own tools.
            throw new ToolArgumentException(tool, ex.Message, ex);
        }
        catch (McpProtocolException ex)
        {
            throw new McpToolErrorException(settings.Name, tool, ex.Message);
        }

        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
        if (result.IsError == true)
        {
            throw new McpToolErrorException(settings.Name, tool, text.Length > 0 ? text : "the server gave no message.");
        }

        return result.StructuredContent is { } structured
            ? JsonSerializer.SerializeToElement(structured)
            : JsonSerializer.SerializeToElement(text);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<McpClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _client) is { } client)
        {
            return client;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Called under the gate.
    private async Task<McpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { } connected)
        {
            return connected;
        }

        IClientTransport transport = settings.IsStdio
            ? new StdioClientTransport(new StdioClientTransportOptions { Name = settings.Name, Command = settings.Command!, Arguments = [.. settings.Arguments] }, loggerFactory)
            : new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Name = settings.Name,
                    Endpoint = settings.Endpoint!,
                    TransportMode = HttpTransportMode.StreamableHttp,
                    AdditionalHeaders = settings.Headers.ToDictionary(StringComparer.OrdinalIgnoreCase),
                    ConnectionTimeout = settings.Timeout,
                },
                loggerFactory);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            var client = await McpClient.CreateAsync(transport, new McpClientOptions { InitializationTimeout = settings.Timeout }, loggerFactory, timeout.Token).ConfigureAwait(false);
            LogConnected(_logger, settings.Name, settings.IsStdio ? settings.Command! : settings.Endpoint!.ToString());
            Volatile.Write(ref _client, client);
            return client;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not McpProtocolException)
        {
            LogUnavailable(_logger, ex, settings.Name);
            throw new McpServerUnavailableException(settings.Name, $"could not connect to {Target()}: {ex.Message}", ex);
        }
    }

    // A call that fails on the way (not an answer of the server) drops the client, so the next try connects again.
    private async Task<T> WithinTimeoutAsync<T>(string what, Func<CancellationToken, Task<T>> call, McpClient client, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            return await call(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not McpProtocolException)
        {
            LogUnavailable(_logger, ex, settings.Name);
            if (Interlocked.CompareExchange(ref _client, null, client) == client)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            var reason = timeout.IsCancellationRequested ? $"no answer within {settings.Timeout.TotalSeconds:0.###} s" : ex.Message;
            throw new McpServerUnavailableException(settings.Name, $"{what} at {Target()} failed: {reason}", ex);
        }
    }

    private string Target() => settings.IsStdio ? $"command '{settings.Command}'" : settings.Endpoint!.ToString();

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MCP server {Server} ({Target}).")]
    private static partial void LogConnected(ILogger logger, string server, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} offers {Count} tools: {Tools}.")]
    private static partial void LogListed(ILogger logger, string server, int count, string tools);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} is unavailable; the step that needs it is retried.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string server);
}
