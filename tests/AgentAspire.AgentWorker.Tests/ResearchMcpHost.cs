using System.Collections.Concurrent;
using System.Net;
using AgentAspire.McpResearchServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>
/// The demo research MCP server, hosted in the test process on a free loopback port over streamable HTTP, as the
/// AppHost runs it; it counts the tool calls that reach it.
/// </summary>
public sealed class ResearchMcpHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    private ResearchMcpHost()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddResearchMcpServer()
            .WithHttpTransport(options => options.Stateless = true)
            .WithRequestFilters(filters => filters.AddCallToolFilter(next => async (request, cancellationToken) =>
            {
                _calls.AddOrUpdate(request.Params?.Name ?? "", 1, (_, count) => count + 1);
                return await next(request, cancellationToken);
            }));
        _app = builder.Build();
        _app.MapMcp("/mcp");
    }

    /// <summary>The server's MCP endpoint.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Tool calls that reached the server, by tool.</summary>
    public IReadOnlyDictionary<string, int> Calls => _calls;

    /// <summary>Every tool call that reached the server.</summary>
    public int TotalCalls => _calls.Values.Sum();

    public static async Task<ResearchMcpHost> StartAsync()
    {
        var host = new ResearchMcpHost();
        await host._app.StartAsync();
        var address = host._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Endpoint = new Uri(new Uri(address), "/mcp");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
