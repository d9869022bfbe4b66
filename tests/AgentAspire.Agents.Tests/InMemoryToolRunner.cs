using System.Text.Json;

namespace AgentAspire.Agents.Tests;

/// <summary>Calls the real tools in process, the way the worker does minus the cache, and records each call.</summary>
internal sealed class InMemoryToolRunner(IEnumerable<IAgentTool> tools, ToolInvocation invocation) : IToolRunner
{
    private readonly Dictionary<string, IAgentTool> _tools = tools.ToDictionary(tool => tool.Name, StringComparer.Ordinal);

    public List<(string Tool, JsonElement Args)> Calls { get; } = [];

    public async Task<TResult> CallAsync<TArgs, TResult>(string toolName, TArgs args, CancellationToken cancellationToken = default)
    {
        var tool = _tools[toolName];
        var json = JsonSerializer.SerializeToElement(args, AgentJson.Options);
        Calls.Add((toolName, json));
        var result = await tool.InvokeAsync(json, invocation, cancellationToken);
        return result.Deserialize<TResult>(AgentJson.Options)!;
    }
}
