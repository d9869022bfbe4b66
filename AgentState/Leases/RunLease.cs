using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Scripting;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Leases;

/// <summary>
/// A run held by one worker: its lease owner token, fence and checkpoint. Every write checks in Valkey that the
/// lease and fence are still this worker's, so a worker that lost the run (a zombie after a pause) is refused.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification =
    "Its two token sources have no timer, so there is nothing to release; their tokens are handed out while a run is held.")]
public sealed class RunLease
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RunQueue _queue;
    private readonly RunStore _store;
    private readonly AgentStateOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopped = new();
    // The claim's index write travels while the first step runs. The first commit goes beside it; a status change,
    // a stop or an abandon awaits it first, so no index write of a run this worker let go of lands after its lease.
    private readonly Task _pendingIndexUpdate;

    internal RunLease(IConnectionMultiplexer connection, RunQueue queue, RunStore store, AgentStateOptions options, TimeProvider timeProvider,
        QueueEntry entry, string worker, string owner, RunCheckpoint checkpoint, Task pendingIndexUpdate)
    {
        _connection = connection;
        _queue = queue;
        _store = store;
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

    /// <summary>
    /// Fires as soon as this worker learns that another one took the run over (a renewal, a commit, an append or a
    /// check was refused by the lease or fence). The step must stop and write nothing more.
    /// </summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Fires as soon as this worker learns that the run was cancelled or deleted under it.</summary>
    public CancellationToken Stopped => _stopped.Token;

    private IDatabase Database => _connection.GetDatabase();

    /// <summary>
    /// Commits step <paramref name="step"/> in one round trip: lease and fence check, result and
    /// <c>current_step</c>, log entry. With <paramref name="isLastStep"/> the run completes in the same script,
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
        var commit = AgentScripts.Commit.EvaluateRunAsync(
            database,
            _store.Signals,
            RunId,
            RunScriptArguments.Keys(RunId),
            RunScriptArguments.Arguments(RunId, now, _options, Worker, [
                Owner, Fence, step, stepName, resultJson, Checkpoint.Attempt, logDetailsJson, isLastStep ? "1" : "0",
            ]));
        await Task.WhenAll(commit, RunIndex.TryAsync(_pendingIndexUpdate)).ConfigureAwait(false);
        AgentTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);

        var reply = commit.Result;
        if (reply.Outcome == ScriptOutcome.Committed && reply.Status == RunStatus.InProgress && (string?)reply.Items[2] == "1")
        {
            // The script renewed the TTLs (a hundredth of the TTL after the last renewal): the index entry follows,
            // so the listing keeps a long run. Between renewals a commit leaves the index alone.
            await RunIndex.TryAsync(_store.IndexWrites.TouchAsync(RunId, now)).ConfigureAwait(false);
        }

        switch (reply.Outcome)
        {
            case ScriptOutcome.Committed when reply.Status == RunStatus.Complete:
                await Task.WhenAll(
                    _queue.AcknowledgeAsync(Entry),
                    RunIndex.TryAsync(_store.IndexWrites.UpdateAsync(RunId, agent: "", RunStatus.Complete, RunStatus.InProgress, now))).ConfigureAwait(false);
                return CommitOutcome.Completed;
            case ScriptOutcome.Committed:
                return CommitOutcome.Committed;
            case ScriptOutcome.Fenced:
                await _lost.CancelAsync().ConfigureAwait(false);
                return CommitOutcome.Fenced;
            case ScriptOutcome.Stopped:
                await _stopped.CancelAsync().ConfigureAwait(false);
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
            await _lost.CancelAsync().ConfigureAwait(false);
            return false;
        }

        await _queue.KeepAliveAsync(Worker, Entry).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Checks in one round trip that this worker still holds the lease and fence and the run still runs; call it
    /// before paying for work (a tool call). On a refusal <see cref="Lost"/> or <see cref="Stopped"/> fires.
    /// </summary>
    public async Task<bool> IsHeldAsync()
    {
        var reply = ScriptReply.From(await AgentScripts.CheckLease.EvaluateAsync(
            Database,
            RunScriptArguments.Keys(RunId),
            RunScriptArguments.Arguments(RunId, _timeProvider.GetUtcNow(), _options, Worker, [Owner, Fence])).ConfigureAwait(false));
        return await HeardAsync(reply.Outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends an entry to the run's log while this worker holds the lease and fence, checked in the same script;
    /// false (and nothing written) once the run was taken over, cancelled or deleted.
    /// </summary>
    public async Task<bool> AppendAsync(string action, string detailsJson, int step)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        var reply = await AgentScripts.Append.EvaluateRunAsync(
            Database,
            _store.Signals,
            RunId,
            RunScriptArguments.Keys(RunId),
            RunScriptArguments.Arguments(RunId, _timeProvider.GetUtcNow(), _options, Worker, [action, detailsJson, step, Checkpoint.Attempt, Owner, Fence])).ConfigureAwait(false);
        return await HeardAsync(reply.Outcome == ScriptOutcome.Appended ? ScriptOutcome.Held : reply.Outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// The calls of step <paramref name="step"/> that its journal already holds, by slot: what an earlier attempt of
    /// the step paid for. Read once per step, in one round trip, and only when the claimed checkpoint counts any.
    /// </summary>
    public Task<IReadOnlyDictionary<int, JournalEntry>> ReadJournalAsync(int step) =>
        JournalReads.ReadStepAsync(Database, RunId, step, Checkpoint.JournalCounts.GetValueOrDefault(step));

    /// <summary>
    /// Records call <paramref name="slot"/> of step <paramref name="step"/> in the run's journal before the worker acts
    /// on it, fenced like a commit, with its log entry and its usage added to the run's and the step's totals in the same
    /// script. Refused (and nothing written) once the run was taken over, cancelled or deleted; then <see cref="Lost"/>
    /// or <see cref="Stopped"/> fires.
    /// </summary>
    public async Task<RecordedCall> RecordCallAsync(int step, int slot, JournalEntry entry, string? logAction, string? logDetailsJson)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, 1);
        ArgumentNullException.ThrowIfNull(entry);
        var entryJson = JsonSerializer.Serialize(entry, JournalJsonContext.Default.JournalEntry);
        ValueSizeLimits.ThrowIfJournalEntryTooLarge(entryJson, _options);
        ValueSizeLimits.ThrowIfLogDetailsTooLarge(logDetailsJson ?? "", _options);
        var usage = entry.Usage is { } used
            ? string.Create(CultureInfo.InvariantCulture, $"{used.InputTokens} {used.OutputTokens} {used.CachedInputTokens} {used.CostMicros}")
            : "";
        var reply = await AgentScripts.Journal.EvaluateRunAsync(
            Database,
            _store.Signals,
            RunId,
            RunScriptArguments.Keys(RunId),
            RunScriptArguments.Arguments(RunId, _timeProvider.GetUtcNow(), _options, Worker, [
                Owner, Fence, step, slot, entryJson, Checkpoint.Attempt, logAction ?? "", logDetailsJson ?? "", usage,
            ])).ConfigureAwait(false);
        if (reply.Outcome == ScriptOutcome.OutOfOrder)
        {
            throw new InvalidOperationException($"Run {RunId}: a call of step {step} was recorded after the run's checkpoint moved on to step {(string?)reply.Items[1]}.");
        }

        if (!await HeardAsync(reply.Outcome == ScriptOutcome.Recorded ? ScriptOutcome.Held : reply.Outcome).ConfigureAwait(false))
        {
            return new RecordedCall(IsRecorded: false, RunUsage: null);
        }

        return new RecordedCall(IsRecorded: true, reply.Items.Length < 7
            ? null
            : new ModelUsage((long)reply.Items[2], (long)reply.Items[3], (long)reply.Items[4], (long)reply.Items[5], (int)reply.Items[6]));
    }

    /// <summary>
    /// Gives up the lease without touching the run's status or queue entry, after an infrastructure fault ended the
    /// attempt: the run resumes from its last commit. Best effort; a lease that cannot be deleted now expires.
    /// </summary>
    public async Task AbandonAsync()
    {
        await RunIndex.TryAsync(_pendingIndexUpdate).ConfigureAwait(false);
        try
        {
            await AgentScripts.DeleteIfOwner.EvaluateAsync(Database, [AgentKeys.Lease(RunId)], [Owner]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
        {
            // Valkey is still away: the lease runs out by itself.
        }
    }

    /// <summary>Completes a run that has no step left to commit.</summary>
    public Task<TransitionResult> CompleteAsync() =>
        EndAsync(RunStatus.Complete, LogActions.Complete, LogDetailsJson.Write(new CompleteDetails(CompleteDetails.Done)));

    /// <summary>Marks the run failed with <paramref name="error"/>, releases the lease and moves the entry to the dead letters.</summary>
    public Task<TransitionResult> FailAsync(string error) =>
        EndAsync(RunStatus.Failed, LogActions.Failed, LogDetailsJson.Write(new FailedDetails(error)),
            new Dictionary<string, string> { [CheckpointFields.Error] = error },
            whenChanged: () => _queue.DeadLetterAsync(Entry, error));

    /// <summary>
    /// Stops the run until a person decides on <paramref name="step"/>: status <c>waiting</c>, lease released, entry
    /// acknowledged. A decision on an earlier pause of the same step is cleared: the step's journal holds it.
    /// </summary>
    public Task<TransitionResult> AwaitApprovalAsync(int step, string prompt) =>
        EndAsync(RunStatus.Waiting, LogActions.Waiting, LogDetailsJson.Write(new WaitingDetails(step, prompt)),
            new Dictionary<string, string> { [CheckpointFields.ApprovalPrompt(step)] = prompt }, remove: [CheckpointFields.Approval(step)]);

    /// <summary>
    /// Ends a replay that met a call its record could not answer: status <c>diverged</c> with the <c>diverged</c> log
    /// entry that says where, lease released, entry acknowledged.
    /// </summary>
    public Task<TransitionResult> DivergeAsync(DivergedDetails details) =>
        EndAsync(RunStatus.Diverged, LogActions.Diverged, LogDetailsJson.Write(details));

    /// <summary>Hands the run back to the queue (graceful shutdown): status <c>queued</c>, lease released, a fresh entry queued.</summary>
    public Task<TransitionResult> ReleaseAsync() =>
        EndAsync(RunStatus.Queued, LogActions.Released, LogDetailsJson.Write(new ReleasedDetails("worker shutting down")),
            whenChanged: async () =>
            {
                await _queue.EnqueueAsync(RunId, Checkpoint.TraceParent).ConfigureAwait(false);
                await _queue.AcknowledgeAsync(Entry).ConfigureAwait(false);
            });

    /// <summary>Lets go of a run that was cancelled or deleted under this worker: releases the lease and acknowledges the entry.</summary>
    public async Task StopAsync()
    {
        await RunIndex.TryAsync(_pendingIndexUpdate).ConfigureAwait(false);
        var database = Database;
        await Task.WhenAll(
            AgentScripts.DeleteIfOwner.EvaluateAsync(database, [AgentKeys.Lease(RunId)], [Owner]),
            _queue.AcknowledgeAsync(Entry)).ConfigureAwait(false);
    }

    private async Task<bool> HeardAsync(ScriptOutcome outcome)
    {
        switch (outcome)
        {
            case ScriptOutcome.Held:
                return true;
            case ScriptOutcome.Fenced:
                await _lost.CancelAsync().ConfigureAwait(false);
                return false;
            default:
                await _stopped.CancelAsync().ConfigureAwait(false);
                return false;
        }
    }

    // Leaves the run in another status; then the entry is acknowledged, or handled by whenChanged.
    private async Task<TransitionResult> EndAsync(string status, string action, string detailsJson,
        IReadOnlyDictionary<string, string>? set = null, Func<Task>? whenChanged = null, IReadOnlyList<string>? remove = null)
    {
        var result = await TransitionAsync(status, action, detailsJson, set, remove).ConfigureAwait(false);
        if (result.Changed)
        {
            await (whenChanged?.Invoke() ?? _queue.AcknowledgeAsync(Entry)).ConfigureAwait(false);
        }
        else if (result.Outcome is TransitionOutcome.Conflict or TransitionOutcome.Missing)
        {
            // Cancelled or deleted meanwhile: nothing left to do for this worker.
            await StopAsync().ConfigureAwait(false);
        }

        return result;
    }

    private async Task<TransitionResult> TransitionAsync(string status, string action, string detailsJson, IReadOnlyDictionary<string, string>? set, IReadOnlyList<string>? remove)
    {
        await RunIndex.TryAsync(_pendingIndexUpdate).ConfigureAwait(false);
        return await _store.ApplyTransitionAsync(new RunTransition(RunId, RunStateMachine.AllowedFrom(RunAction.Leave), status, action, detailsJson)
        {
            Lease = Owner,
            ReleaseLease = true,
            Set = set ?? new Dictionary<string, string>(),
            Remove = remove ?? [],
            Worker = Worker,
        }).ConfigureAwait(false);
    }
}
