using System.Collections.Concurrent;
using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentFramework.Tests;

/// <summary>Calls the real research tools through the real Valkey tool cache and counts the calls that computed.</summary>
internal sealed class CacheToolRunner(ToolCache cache, string runId) : IToolRunner
{
    public ConcurrentQueue<string> Computed { get; } = new();

    public async Task<TResult> CallAsync<TArgs, TResult>(AgentTool<TArgs, TResult> agentTool, TArgs args, CancellationToken cancellationToken = default)
    {
        IAgentTool tool = agentTool;
        var json = JsonSerializer.SerializeToElement(args, AgentJson.Options);
        var result = await cache.GetOrComputeAsync(tool.Name, json.GetRawText(), tool.Ttl, async ct =>
        {
            Computed.Enqueue(tool.Name);
            return (await tool.InvokeAsync(json, ToolInvocation.For(runId, 1, 1), ct)).GetRawText();
        }, cancellationToken);
        return JsonSerializer.Deserialize<TResult>(result.ResultJson, AgentJson.Options)!;
    }

    public Task<JsonElement> CallAsync(IAgentTool tool, JsonElement arguments, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Workflow tests call tools with typed arguments only.");
}
