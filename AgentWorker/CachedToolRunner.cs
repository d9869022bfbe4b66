using System.Diagnostics;
using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentWorker;

/// <summary>
/// Calls tools for one step through the Valkey tool cache, so a result computed before a crash is not paid for
/// again. Every call first checks that this worker still holds the run (a zombie pays for nothing), is traced
/// (<c>tool.call</c>) and is logged in the run's activity log as <c>tool_call</c> under the same lease and fence.
/// </summary>
internal sealed class CachedToolRunner(
    ToolCache cache, RunLease lease, ToolInvocation invocation, string agent) : IToolRunner
{
    public int CacheHits { get; private set; }

    public int Calls { get; private set; }

    public async Task<TResult> CallAsync<TArgs, TResult>(AgentTool<TArgs, TResult> agentTool, TArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentTool);
        IAgentTool tool = agentTool;
        using var activity = AgentTelemetry.ActivitySource.StartActivity(AgentTelemetry.ToolSpan);
        activity?.SetTag(AgentTelemetry.RunIdAttribute, invocation.RunId);
        activity?.SetTag(AgentTelemetry.AgentNameAttribute, agent);
        activity?.SetTag(AgentTelemetry.StepAttribute, invocation.Step);
        activity?.SetTag(AgentTelemetry.ToolNameAttribute, tool.Name);

        if (!await lease.IsHeldAsync().ConfigureAwait(false))
        {
            // The lease's Lost or Stopped token has fired: the step ends here without calling the tool.
            throw new OperationCanceledException($"Run {invocation.RunId} is no longer held by this worker; tool {tool.Name} not called.");
        }

        var arguments = JsonSerializer.SerializeToElement(args, AgentJson.Options);
        var started = Stopwatch.GetTimestamp();
        var result = await cache.GetOrComputeAsync(
            tool.Name,
            arguments.GetRawText(),
            tool.Ttl,
            async ct => (await tool.InvokeAsync(arguments, invocation, ct).ConfigureAwait(false)).GetRawText(),
            cancellationToken).ConfigureAwait(false);

        activity?.SetTag(AgentTelemetry.ToolCacheHitAttribute, result.CacheHit);
        Calls++;
        CacheHits += result.CacheHit ? 1 : 0;
        var details = LogDetailsJson.Write(new ToolCallDetails(
            tool.Name, result.CacheHit, result.Key, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3), result.LockTakenOver));
        if (!await lease.AppendAsync(LogActions.ToolCall, details, invocation.Step).ConfigureAwait(false))
        {
            throw new OperationCanceledException($"Run {invocation.RunId} is no longer held by this worker; its tool call is not logged.");
        }

        return JsonSerializer.Deserialize<TResult>(result.ResultJson, AgentJson.Options)!;
    }
}
