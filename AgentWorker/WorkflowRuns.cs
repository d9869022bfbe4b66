using System.Diagnostics;
using AgentAspire.AgentFramework;
using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker;

/// <summary>
/// The worker's branch for Agent Framework workflows: the workflow runs superstep by superstep, each checkpoint
/// committed as a step under the lease; its tools go through the tool cache and, when configured, its chat calls too.
/// </summary>
public sealed partial class WorkflowRuns(
    WorkflowRunner runner,
    ToolCache toolCache,
    IChatClient chat,
    IOptions<WorkflowOptions> workflowOptions,
    ILogger<WorkflowRuns> logger)
{
    /// <summary>Runs the workflow of <paramref name="agent"/> for the claimed run until it completes, waits or is refused.</summary>
    public async Task RunAsync(RunLease lease, IWorkflowAgent agent, Activity? runActivity, CancellationToken cancellationToken)
    {
        var checkpoint = lease.Checkpoint;
        var invocation = ToolInvocation.For(lease.RunId, checkpoint.CurrentStep + 1, checkpoint.Attempt);
        var toolRunner = new CachedToolRunner(toolCache, lease, invocation, agent.Name);
        var chatClient = workflowOptions.Value.ChatCacheTtl is { } ttl ? new CachedChatClient(chat, toolCache, ttl) : chat;

        var outcome = await runner.RunAsync(lease, agent, toolRunner, chatClient, cancellationToken).ConfigureAwait(false);
        runActivity?.SetTag("agent.workflow_outcome", outcome.ToString());
        switch (outcome)
        {
            case WorkflowRunOutcome.Completed:
                AgentTelemetry.RunsCompleted.Add(1);
                runActivity?.SetTag("agent.status", RunStatus.Complete);
                break;
        }

        LogOutcome(logger, lease.RunId, outcome, toolRunner.Calls, toolRunner.CacheHits);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow run {RunId}: {Outcome} ({ToolCalls} tool calls, {CacheHits} cache hits).")]
    private static partial void LogOutcome(ILogger logger, string runId, WorkflowRunOutcome outcome, int toolCalls, int cacheHits);
}
