using Microsoft.Extensions.Hosting;

namespace AgentAspire.Agents.Mcp;

/// <summary>
/// Connects the worker to its MCP servers as it starts and lists their tools (logged), without holding the start up:
/// a server that is not up yet is connected on the first step that needs it.
/// </summary>
internal sealed class McpToolSourcesStartup(McpToolSources sources) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => sources.ConnectAllAsync(stoppingToken);
}
