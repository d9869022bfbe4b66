using System.Diagnostics;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Scripting;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Leases;

/// <summary>
/// A run held by one worker: its lease owner token, fence and checkpoint. Every write checks in Valkey that the
/// lease and fence are still this worker's, so a worker that lost the run (a zombie after a pause) is refused.
/// </summary>
public sealed class RunLease
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RunQueue _queue;
    private readonly AgentStateOptions _options;
    private readonly TimeProvider _timeProvider;
    private Task _pendingIndexUpdate;

    internal RunLease(IConnectionMultiplexer connection, RunQueue queue, AgentStateOptions options, TimeProvider timeProvider,
        QueueEntry entry, string worker, string owner, RunCheckpoint checkpoint, Task pendingIndexUpdate)
    {
        _connection = connection;
        _queue = queue;
        _options = options;
        _timeProvider = timeProvider;
        _pendingIndexUpdate = pendingIndexUpdate;
        Entry = entry;
        Worker = worker;
        Owner = owner;
        Checkpoint = checkpoint;
    }

    /// <summary>The queue entry that delivered the run.</summary>
    public QueueEntry Entry { get; }

    /// <summary>The worker holding the run.</summary>
    public string Worker { get; }

    /// <summary>The lease owner token (unique per claim).</summary>
    public string Owner { get; }

    /// <summary>The checkpoint as claimed, with every earlier step result.</summary>
    public RunCheckpoint Checkpoint { get; }

    /// <summary>The run id.</summary>
    public string RunId => Checkpoint.RunId;

    /// <summary>The fence token this claim holds.</summary>
    public long Fence => Checkpoint.Fence;

    private IDatabase Database => _connection.GetDatabase();

    /// <summary>
    /// Commits step <paramref name="step"/> in one round trip: lease and fence check, result and
    /// <c>current_step</c>, TTLs, log entry. With <paramref name="isLastStep"/> the run completes in the same script,
    /// and its queue entry is then acknowledged.
    /// </summary>
    public async Task<CommitOutcome> CommitStepAsync(int step, string stepName, string resultJson, string logDetailsJson, bool isLastStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        ValueSizeLimits.ThrowIfStepResultTooLarge(resultJson, _options);
        ValueSizeLimits.ThrowIfLogDetailsTooLarge(logDetailsJson, _options);
        var started = Stopwatch.GetTimestamp();
        var now = _timeProvider.GetUtcNow();
        var database = Database;
        var commit = AgentScripts.Commit.EvaluateAsync(
            database,
            RunScriptArguments.Keys(RunId),
            RunScriptArguments.Arguments(RunId, now, _options, Worker, [
                Owner, Fence, step, stepName, resultJson, _options.LeaseMilliseconds, Checkpoint.Attempt, logDetailsJson, isLastStep ? "1" : "0",
            ]));
        // Sent with the commit, in the same round trip; a refused commit only moves the run up the listing.
        var index = RunIndex.TouchAsync(database, RunId, now);
        await Task.WhenAll(commit, index, _pendingIndexUpdate).ConfigureAwait(false);
        AgentTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

        var reply = ScriptReply.From(commit.Result);
        switch (reply.Outcome)
        {
            case "committed" when reply.Status == RunStatus.Complete:
                await Task.WhenAll(
                    RunQueue.AcknowledgeAsync(database, Entry.EntryId),
                    RunIndex.UpdateAsync(database, RunId, Checkpoint.Agent, RunStatus.Complete, RunStatus.InProgress, now)).ConfigureAwait(false);
                return CommitOutcome.Completed;
            case "committed":
                return CommitOutcome.Committed;
            case "fenced":
                return CommitOutcome.Fenced;
            case "stopped":
                await StopAsync().ConfigureAwait(false);
                return CommitOutcome.Stopped;
            default:
                return CommitOutcome.OutOfOrder;
        }
    }

    /// <summary>Extends the lease and keeps the queue entry from being taken over; false once the lease is lost.</summary>
    public async Task<bool> RenewAsync()
    {
        var renewed = await AgentScripts.RenewLease.EvaluateAsync(Database, [AgentKeys.Lease(RunId)], [Owner, _options.LeaseMilliseconds]).ConfigureAwait(false);
        if ((long)renewed != 1)
        {
            // Lost: leave the queue entry to the worker that took the run over.
            return false;
        }

        await _queue.KeepAliveAsync(Worker, Entry.EntryId).ConfigureAwait(false);
        return true;
    }

    /// <summary>Completes a run that has no step left to commit.</summary>
    public Task<TransitionResult> CompleteAsync() =>
        EndAsync(RunStatus.Complete, "complete", """{"status":"done"}""");

    /// <summary>Marks the run failed with <paramref name="error"/>, releases the lease and moves the entry to the dead letters.</summary>
    public Task<TransitionResult> FailAsync(string error) =>
        EndAsync(RunStatus.Failed, "failed", AgentJsonText.Object(("error", error)),
            new Dictionary<string, string> { [CheckpointFields.Error] = error },
            whenChanged: () => _queue.DeadLetterAsync(Entry, error));

    /// <summary>Stops the run until a person decides on <paramref name="step"/>: status <c>waiting</c>, lease released, entry acknowledged.</summary>
    public Task<TransitionResult> AwaitApprovalAsync(int step, string prompt) =>
        EndAsync(RunStatus.Waiting, "waiting", AgentJsonText.Object(("step", step), ("prompt", prompt)),
            new Dictionary<string, string> { [CheckpointFields.ApprovalPrompt(step)] = prompt });

    /// <summary>Hands the run back to the queue (graceful shutdown): status <c>queued</c>, lease released, a fresh entry queued.</summary>
    public Task<TransitionResult> ReleaseAsync() =>
        EndAsync(RunStatus.Queued, "released", AgentJsonText.Object(("reason", "worker shutting down")),
            whenChanged: async () =>
            {
                await _queue.EnqueueAsync(RunId, Checkpoint.TraceParent).ConfigureAwait(false);
                await RunQueue.AcknowledgeAsync(Database, Entry.EntryId).ConfigureAwait(false);
            });

    /// <summary>Lets go of a run that was cancelled or deleted under this worker: releases the lease and acknowledges the entry.</summary>
    public Task StopAsync()
    {
        var database = Database;
        return Task.WhenAll(
            AgentScripts.DeleteIfOwner.EvaluateAsync(database, [AgentKeys.Lease(RunId)], [Owner]),
            RunQueue.AcknowledgeAsync(database, Entry.EntryId));
    }

    // Leaves the run in another status; then the entry is acknowledged, or handled by whenChanged.
    private async Task<TransitionResult> EndAsync(string status, string action, string detailsJson,
        IReadOnlyDictionary<string, string>? set = null, Func<Task>? whenChanged = null)
    {
        var result = await TransitionAsync(status, action, detailsJson, set).ConfigureAwait(false);
        if (result.Changed)
        {
            await (whenChanged?.Invoke() ?? RunQueue.AcknowledgeAsync(Database, Entry.EntryId)).ConfigureAwait(false);
        }
        else if (result.Outcome is TransitionOutcome.Conflict or TransitionOutcome.Missing)
        {
            // Cancelled or deleted meanwhile: nothing left to do for this worker.
            await StopAsync().ConfigureAwait(false);
        }

        return result;
    }

    private async Task<TransitionResult> TransitionAsync(string status, string action, string detailsJson, IReadOnlyDictionary<string, string>? set)
    {
        var now = _timeProvider.GetUtcNow();
        var database = Database;
        await _pendingIndexUpdate.ConfigureAwait(false);
        var reply = await CheckpointStore.EvaluateTransitionAsync(database, new RunTransition(RunId, [RunStatus.InProgress], status, action, detailsJson)
        {
            Lease = Owner,
            ReleaseLease = true,
            Set = set ?? new Dictionary<string, string>(),
            Worker = Worker,
        }, now, _options).ConfigureAwait(false);
        if (reply.Outcome == "changed")
        {
            _pendingIndexUpdate = RunIndex.UpdateAsync(database, RunId, Checkpoint.Agent, status, RunStatus.InProgress, now);
            await _pendingIndexUpdate.ConfigureAwait(false);
        }

        return CheckpointStore.ToTransitionResult(reply);
    }
}
