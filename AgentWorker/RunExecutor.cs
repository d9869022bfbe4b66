using System.Diagnostics;
using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.Agents.Running;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker;

/// <summary>
/// Executes one run from its queue entry: claims it, reads its input once, and hands the claim to the runner of its
/// agent's kind (<see cref="AgentRunners"/>), which runs the remaining steps and commits each atomically. Keeps the
/// lease alive while the runner works and stops cleanly when the run is cancelled, the lease is lost, or the worker
/// shuts down. A fault of Valkey itself ends the attempt without touching the run: the executor waits for Valkey and
/// claims the run again, which resumes it after its last commit. Only the agent's own exception fails a run.
/// </summary>
public sealed partial class RunExecutor(
    RunLeases leases,
    AgentCatalog catalog,
    AgentRunners runners,
    ToolCache toolCache,
    IChatClient chat,
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
            var input = ReadInput(checkpoint.InputJson);
            // Read once per claim, for every kind; a stored input the agent no longer accepts fails the run with its message.
            var typedInput = agent.ReadInput(input);
            var run = new AgentRun(lease, agent, input, typedInput, chat,
                step => new CachedToolRunner(toolCache, lease, ToolInvocation.For(lease.RunId, step, checkpoint.Attempt), agent.Name));
            var outcome = await runners.For(agent).RunAsync(run, stop.Token).ConfigureAwait(false);
            Record(lease, activity, outcome);
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

    private static JsonElement ReadInput(string inputJson)
    {
        using var document = JsonDocument.Parse(inputJson);
        return document.RootElement.Clone();
    }

    private void Record(RunLease lease, Activity? activity, AgentRunOutcome outcome)
    {
        activity?.SetTag("agent.outcome", outcome.ToString());
        switch (outcome)
        {
            case AgentRunOutcome.Completed:
                AgentTelemetry.RunsCompleted.Add(1);
                activity?.SetTag("agent.status", RunStatus.Complete);
                LogCompleted(logger, lease.RunId);
                break;
            case AgentRunOutcome.Waiting:
                activity?.SetTag("agent.status", RunStatus.Waiting);
                LogWaiting(logger, lease.RunId);
                break;
            case AgentRunOutcome.Diverged:
                activity?.SetTag("agent.status", RunStatus.Diverged);
                LogDiverged(logger, lease.RunId, lease.Checkpoint.Replay?.Of ?? "");
                break;
            default:
                LogRefused(logger, lease.RunId);
                break;
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

    private async Task FailAsync(RunLease lease, Activity? activity, string error, Exception? exception = null)
    {
        activity?.SetStatus(ActivityStatusCode.Error, error);
        AgentTelemetry.RunsFailed.Add(1);
        await lease.FailAsync(error).ConfigureAwait(false);
        LogFailed(logger, exception, lease.RunId, error);
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} waits for a person's decision.")]
    private static partial void LogWaiting(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay {RunId} diverged from the record of run {Original}: the agent's code asks something else now.")]
    private static partial void LogDiverged(ILogger logger, string runId, string original);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: a write was refused (another worker holds it, or it was cancelled or deleted); stopping.")]
    private static partial void LogRefused(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string runId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease lost to another worker; stopping without writing.")]
    private static partial void LogLeaseLost(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} handed back to the queue on shutdown.")]
    private static partial void LogReleased(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} cancelled; stopped.")]
    private static partial void LogCancelled(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease renewal failed; retrying.")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string runId);
}
