using System.Text.Json;

namespace AgentAspire.Agents.Tests;

/// <summary>Calls the real tools in process, the way the worker does minus the cache, and records each call.</summary>
internal sealed class InMemoryToolRunner(ToolInvocation invocation) : IToolRunner
{
    public List<(string Tool, JsonElement Args)> Calls { get; } = [];

    public async Task<TResult> CallAsync<TArgs, TResult>(AgentTool<TArgs, TResult> tool, TArgs args, CancellationToken cancellationToken = default)
    {
        IAgentTool untyped = tool;
        var json = JsonSerializer.SerializeToElement(args, AgentJson.Options);
        Calls.Add((untyped.Name, json));
        var result = await untyped.InvokeAsync(json, invocation, cancellationToken);
        return result.Deserialize<TResult>(AgentJson.Options)!;
    }

    public Task<JsonElement> CallAsync(IAgentTool tool, JsonElement arguments, CancellationToken cancellationToken = default)
    {
        Calls.Add((tool.Name, arguments));
        return tool.InvokeAsync(arguments, invocation, cancellationToken);
    }
}
