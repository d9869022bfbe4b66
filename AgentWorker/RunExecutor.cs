using System.Diagnostics;
using System.Text.Json;
using AgentAspire.AgentFramework;
using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker;

/// <summary>
/// Executes one run from its queue entry: claims it, restores every earlier step result, runs the remaining steps
/// with retries and a timeout, and commits each step atomically. Keeps the lease alive while it works and stops
/// cleanly when the run is cancelled, the lease is lost, or the worker shuts down. A fault of Valkey itself ends
/// the attempt without touching the run: the executor waits for Valkey and claims the run again, which resumes it
/// after its last commit. Only a step's own exception, after its retries, fails a run.
/// </summary>
public sealed partial class RunExecutor(
    RunLeases leases,
    AgentCatalog catalog,
    ToolCache toolCache,
    IChatClient chat,
    StepPipeline stepPipeline,
    WorkflowRuns workflowRuns,
    IOptions<WorkerOptions> workerOptions,
    IOptions<AgentStateOptions> stateOptions,
    TimeProvider timeProvider,
    ILogger<RunExecutor> logger)
{
    private static readonly TimeSpan FirstReclaimDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestReclaimDelay = TimeSpan.FromSeconds(5);


    private string Worker => workerOptions.Value.Name;

    /// <summary>Runs the entry's run until it completes, waits, fails or stops.</summary>
    /// <param name="entry">The queue entry.</param>
    /// <param name="runCancelled">Fires when a person cancels the run.</param>
    /// <param name="stoppingToken">Fires when the worker shuts down: the run is handed back to the queue.</param>
    public async Task ExecuteAsync(QueueEntry entry, CancellationToken runCancelled, CancellationToken stoppingToken)
    {
        // An outage of any length: wait for Valkey with a growing delay, then claim again and resume.
        var delay = FirstReclaimDelay;
        while (true)
        {
            try
            {
                if (!await AttemptAsync(entry, runCancelled, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
            {
                LogAttemptInterrupted(logger, ex, entry.RunId);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(runCancelled, stoppingToken);
            try
            {
                await Task.Delay(delay, timeProvider, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutting down or cancelled: the queue entry stays pending and is taken over after the lease.
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestReclaimDelay.Ticks));
        }
    }

    // One claim and the steps after it; true when an infrastructure fault ended it and the run should be claimed again.
    private async Task<bool> AttemptAsync(QueueEntry entry, CancellationToken runCancelled, CancellationToken stoppingToken)
    {
        var claim = await leases.ClaimAsync(entry, Worker).ConfigureAwait(false);
        if (claim.Lease is not { } lease)
        {
            if (claim.Outcome == ClaimOutcome.Failed)
            {
                AgentTelemetry.RunsFailed.Add(1);
                LogDeadLettered(logger, entry.RunId, stateOptions.Value.MaxDeliveries);
            }
            else
            {
                LogNotClaimed(logger, entry.RunId, claim.Outcome, claim.Status);
            }

            return false;
        }

        var checkpoint = lease.Checkpoint;
        using var activity = StartRunActivity(entry, lease);
        AgentTelemetry.RunsStarted.Add(1);
        if (!catalog.TryGet(checkpoint.Agent, out var agent))
        {
            await FailAsync(lease, activity, $"No agent named '{checkpoint.Agent}' is registered in this worker.").ConfigureAwait(false);
            return false;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(runCancelled, stoppingToken, lease.Lost, lease.Stopped);
        var renewal = KeepLeaseAsync(lease, stop.Token);
        try
        {
            LogClaimed(logger, lease.RunId, agent.Name, checkpoint.CurrentStep + 1, lease.Fence);
            await (agent is IWorkflowAgent workflow
                ? workflowRuns.RunAsync(lease, workflow, activity, stop.Token)
                : RunStepsAsync(lease, agent, activity, stop.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
        {
            activity?.AddException(ex);
            if (lease.Lost.IsCancellationRequested)
            {
                LogLeaseLost(logger, lease.RunId);
                return false;
            }

            // Not the run's fault: let go of the lease if Valkey answers, keep the status, and claim again.
            LogAttemptInterrupted(logger, ex, lease.RunId);
            await stop.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            await lease.AbandonAsync().ConfigureAwait(false);
            return !stoppingToken.IsCancellationRequested && !runCancelled.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (lease.Lost.IsCancellationRequested)
            {
                LogLeaseLost(logger, lease.RunId);
            }
            else if (stoppingToken.IsCancellationRequested)
            {
                await lease.ReleaseAsync().ConfigureAwait(false);
                LogReleased(logger, lease.RunId);
            }
            else
            {
                await lease.StopAsync().ConfigureAwait(false);
                LogCancelled(logger, lease.RunId);
            }
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            await FailAsync(lease, activity, $"{ex.GetType().Name}: {ex.Message}", ex).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }

        return false;
    }

    private async Task RunStepsAsync(RunLease lease, IAgent agent, Activity? runActivity, CancellationToken cancellationToken)
    {
        var checkpoint = lease.Checkpoint;
        using var inputDocument = JsonDocument.Parse(checkpoint.InputJson);
        var input = inputDocument.RootElement;
        // Read once per run; a stored input the agent no longer accepts fails the run with the agent's message.
        var typedInput = agent.ReadInput(input);
        // Every earlier result is restored, so a resumed step sees exactly what an uninterrupted one would.
        var results = checkpoint.Steps.ToDictionary(step => step.Name, step => JsonDocument.Parse(step.ResultJson).RootElement.Clone());

        if (checkpoint.CurrentStep >= agent.Steps.Count)
        {
            await lease.CompleteAsync().ConfigureAwait(false);
            return;
        }

        for (var number = checkpoint.CurrentStep + 1; number <= agent.Steps.Count; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = agent.Steps[number - 1];
            using var activity = AgentTelemetry.ActivitySource.StartActivity(AgentTelemetry.StepSpan);
            activity?.SetTag(AgentTelemetry.RunIdAttribute, lease.RunId);
            activity?.SetTag(AgentTelemetry.AgentNameAttribute, agent.Name);
            activity?.SetTag(AgentTelemetry.StepAttribute, number);
            activity?.SetTag("agent.step_name", step.Name);

            var invocation = ToolInvocation.For(lease.RunId, number, checkpoint.Attempt);
            var tools = new CachedToolRunner(toolCache, lease, invocation, agent.Name);
            var started = Stopwatch.GetTimestamp();
            var tries = 0;
            var result = await stepPipeline.ExecuteAsync(
                ct => new ValueTask<StepResult>(step.ExecuteAsync(new StepContext(
                    lease.RunId, agent.Name, number, step.Name, checkpoint.Attempt, input, results, tools, chat,
                    ApprovalFor(lease, number), ct) { Retry = tries++, TypedInput = typedInput })),
                (retry, ex) => LogRetryAsync(lease, number, retry, ex),
                cancellationToken).ConfigureAwait(false);
            var duration = Stopwatch.GetElapsedTime(started);
            AgentTelemetry.StepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(AgentTelemetry.AgentNameAttribute, agent.Name));

            if (result.ApprovalPrompt is { } prompt)
            {
                await lease.AwaitApprovalAsync(number, prompt).ConfigureAwait(false);
                LogWaiting(logger, lease.RunId, number);
                return;
            }

            var value = result.Value ?? JsonSerializer.SerializeToElement<object?>(null);
            var details = LogDetailsJson.Write(new StepCommittedDetails(number, Math.Round(duration.TotalMilliseconds, 3), tools.Calls, tools.CacheHits));
            var outcome = await lease.CommitStepAsync(number, step.Name, value.GetRawText(), details, isLastStep: number == agent.Steps.Count).ConfigureAwait(false);
            activity?.SetTag("agent.commit", outcome.ToString());
            switch (outcome)
            {
                case CommitOutcome.Committed:
                    AgentTelemetry.StepsCompleted.Add(1);
                    results[step.Name] = value;
                    continue;
                case CommitOutcome.Completed:
                    AgentTelemetry.StepsCompleted.Add(1);
                    AgentTelemetry.RunsCompleted.Add(1);
                    runActivity?.SetTag("agent.status", RunStatus.Complete);
                    LogCompleted(logger, lease.RunId);
                    return;
                default:
                    // Fenced, cancelled, deleted or already committed elsewhere: this worker stops without writing.
                    runActivity?.SetTag("agent.commit", outcome.ToString());
                    LogCommitRefused(logger, lease.RunId, number, outcome);
                    return;
            }
        }
    }

    private async Task KeepLeaseAsync(RunLease lease, CancellationToken cancellationToken)
    {
        var interval = stateOptions.Value.LeaseDuration / 3;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
                if (!await lease.RenewAsync().ConfigureAwait(false))
                {
                    // RenewAsync fired lease.Lost, which cancels the step at once.
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed renewal is not fatal: the commit still checks the lease, and the next tick retries.
                LogRenewFailed(logger, ex, lease.RunId);
            }
        }
    }

    private async ValueTask LogRetryAsync(RunLease lease, int step, int retry, Exception ex)
    {
        LogStepRetry(logger, ex, lease.RunId, step, retry);
        var details = LogDetailsJson.Write(new StepRetryDetails(retry, $"{ex.GetType().Name}: {ex.Message}"));
        await lease.AppendAsync(LogActions.StepRetry, details, step).ConfigureAwait(false);
    }

    private async Task FailAsync(RunLease lease, Activity? activity, string error, Exception? exception = null)
    {
        activity?.SetStatus(ActivityStatusCode.Error, error);
        AgentTelemetry.RunsFailed.Add(1);
        await lease.FailAsync(error).ConfigureAwait(false);
        LogFailed(logger, exception, lease.RunId, error);
    }

    private static ApprovalDecision? ApprovalFor(RunLease lease, int step) =>
        lease.Checkpoint.Approvals.FirstOrDefault(approval => approval.Step == step)?.DecisionJson is { } decision
            ? JsonSerializer.Deserialize<ApprovalDecision>(decision, AgentJson.Options)
            : null;

    private static Activity? StartRunActivity(QueueEntry entry, RunLease lease)
    {
        // Continue the trace of the request that started the run, so one trace shows request, steps and tools.
        var traceParent = entry.TraceParent ?? lease.Checkpoint.TraceParent;
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = AgentTelemetry.ActivitySource.StartActivity(AgentTelemetry.RunSpan, ActivityKind.Consumer, parent);
        activity?.SetTag(AgentTelemetry.RunIdAttribute, lease.RunId);
        activity?.SetTag(AgentTelemetry.AgentNameAttribute, lease.Checkpoint.Agent);
        activity?.SetTag("agent.resume_from_step", lease.Checkpoint.CurrentStep + 1);
        activity?.SetTag("agent.fence", lease.Fence);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} failed and dead-lettered: more than {MaxDeliveries} deliveries in a row ended without a commit.")]
    private static partial void LogDeadLettered(ILogger logger, string runId, int maxDeliveries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} not claimed: {Outcome} ({Status}).")]
    private static partial void LogNotClaimed(ILogger logger, string runId, ClaimOutcome outcome, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ({Agent}) claimed at step {Step} with fence {Fence}.")]
    private static partial void LogClaimed(ILogger logger, string runId, string agent, int step, long fence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: Valkey could not be reached or refused for now; the attempt ends and the run is claimed again once Valkey answers.")]
    private static partial void LogAttemptInterrupted(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} completed.")]
    private static partial void LogCompleted(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} waits for a person's decision on step {Step}.")]
    private static partial void LogWaiting(ILogger logger, string runId, int step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string runId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: commit of step {Step} refused ({Outcome}); stopping.")]
    private static partial void LogCommitRefused(ILogger logger, string runId, int step, CommitOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: step {Step} failed, retry {Retry}.")]
    private static partial void LogStepRetry(ILogger logger, Exception exception, string runId, int step, int retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease lost to another worker; stopping without writing.")]
    private static partial void LogLeaseLost(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} handed back to the queue on shutdown.")]
    private static partial void LogReleased(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} cancelled; stopped.")]
    private static partial void LogCancelled(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease renewal failed; retrying.")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string runId);
}
