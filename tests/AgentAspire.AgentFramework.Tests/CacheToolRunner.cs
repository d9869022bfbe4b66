using System.Collections.Concurrent;
using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentFramework.Tests;

/// <summary>Calls the real research tools through the real Valkey tool cache and counts the calls that computed.</summary>
internal sealed class CacheToolRunner(ToolCache cache, string runId) : IToolRunner
{
    private readonly Dictionary<string, IAgentTool> _tools = new IAgentTool[] { new WebSearchTool(), new TextStatsTool(), new GlossaryTool() }
        .ToDictionary(tool => tool.Name, StringComparer.Ordinal);

    public ConcurrentQueue<string> Computed { get; } = new();

    public async Task<TResult> CallAsync<TArgs, TResult>(string toolName, TArgs args, CancellationToken cancellationToken = default)
    {
        var tool = _tools[toolName];
        var json = JsonSerializer.SerializeToElement(args, AgentJson.Options);
        var result = await cache.GetOrComputeAsync(tool.Name, json.GetRawText(), tool.Ttl, async ct =>
        {
            Computed.Enqueue(toolName);
            return (await tool.InvokeAsync(json, ToolInvocation.For(runId, 1, 1), ct)).GetRawText();
        }, cancellationToken);
        return JsonSerializer.Deserialize<TResult>(result.ResultJson, AgentJson.Options)!;
    }
}
