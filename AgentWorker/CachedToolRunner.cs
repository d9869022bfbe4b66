using System.Diagnostics;
using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.Agents.Journaling;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentWorker;

/// <summary>
/// Calls tools for one step through the Valkey tool cache, so a result computed before a crash is not paid for
/// again. Every call first checks that this worker still holds the run (a zombie pays for nothing), is traced
/// (<c>tool.call</c>) and is logged in the run's activity log as <c>tool_call</c> under the same lease and fence.
/// With a step's journal (every step agent's step has one) each call also goes through it: its result is recorded
/// before it is used, so not even a tool without a useful cache runs twice for one call, and a replay is answered from
/// the record. The tools of other kinds of agent (a workflow's) have no journal and are cached only.
/// </summary>
internal sealed class CachedToolRunner(
    ToolCache cache, RunLease lease, ToolInvocation invocation, string agent, StepJournal? journal = null) : IToolRunner
{
    public int CacheHits { get; private set; }

    public int Calls { get; private set; }

    public async Task<TResult> CallAsync<TArgs, TResult>(AgentTool<TArgs, TResult> tool, TArgs args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (journal is not null)
        {
            // A step's calls are recorded in order, so the step run again (or replayed) is answered from the record.
            var recorded = await CallAsync(tool, JsonSerializer.SerializeToElement(args, AgentJson.Options), cancellationToken).ConfigureAwait(false);
            return recorded.Deserialize<TResult>(AgentJson.Options)!;
        }

        using var activity = StartActivity(tool);
        if (!await lease.IsHeldAsync().ConfigureAwait(false))
        {
            // The lease's Lost or Stopped token has fired: the step ends here without calling the tool.
            throw new OperationCanceledException($"Run {invocation.RunId} is no longer held by this worker; tool {tool.Name} not called.");
        }

        var (result, details) = await ComputeAsync(tool, JsonSerializer.SerializeToElement(args, AgentJson.Options), activity, cancellationToken).ConfigureAwait(false);
        if (!await lease.AppendAsync(LogActions.ToolCall, LogDetailsJson.Write(details), invocation.Step).ConfigureAwait(false))
        {
            throw new OperationCanceledException($"Run {invocation.RunId} is no longer held by this worker; its tool call is not logged.");
        }

        return result.Deserialize<TResult>(AgentJson.Options)!;
    }

    public async Task<JsonElement> CallAsync(IAgentTool tool, JsonElement arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        using var activity = StartActivity(tool);
        if (journal is null)
        {
            throw new InvalidOperationException($"Tool '{tool.Name}' was called with JSON arguments outside a step's journal; only a step's tool runner may.");
        }

        // The journal checks the lease before the call, and logs the call with its record.
        return await journal.CallToolAsync(tool, arguments, ct => ComputeAsync(tool, arguments, activity, ct), cancellationToken).ConfigureAwait(false);
    }

    private Activity? StartActivity(IAgentTool tool)
    {
        var activity = AgentTelemetry.ActivitySource.StartActivity(AgentTelemetry.ToolSpan);
        activity?.SetTag(AgentTelemetry.RunIdAttribute, invocation.RunId);
        activity?.SetTag(AgentTelemetry.AgentNameAttribute, agent);
        activity?.SetTag(AgentTelemetry.StepAttribute, invocation.Step);
        activity?.SetTag(AgentTelemetry.ToolNameAttribute, tool.Name);
        if (tool.Server is { } server)
        {
            activity?.SetTag("mcp.server", server);
        }

        return activity;
    }

    private async Task<(JsonElement Result, ToolCallDetails Details)> ComputeAsync(IAgentTool tool, JsonElement arguments, Activity? activity, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // A tool with side effects (TTL zero) never goes near the cache: each call runs, and only the journal keeps it.
        var result = tool.Ttl <= TimeSpan.Zero
            ? new ToolCacheResult((await tool.InvokeAsync(arguments, invocation, cancellationToken).ConfigureAwait(false)).GetRawText(), CacheHit: false, Key: "")
            : await cache.GetOrComputeAsync(
                tool.CacheName,
                arguments.GetRawText(),
                tool.Ttl,
                async ct => (await tool.InvokeAsync(arguments, invocation, ct).ConfigureAwait(false)).GetRawText(),
                cancellationToken).ConfigureAwait(false);

        activity?.SetTag(AgentTelemetry.ToolCacheHitAttribute, result.CacheHit);
        Calls++;
        CacheHits += result.CacheHit ? 1 : 0;
        var details = new ToolCallDetails(
            tool.Name, result.CacheHit, result.Key, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3), result.LockTakenOver, Server: tool.Server);
        using var document = JsonDocument.Parse(result.ResultJson);
        return (document.RootElement.Clone(), details);
    }
}
