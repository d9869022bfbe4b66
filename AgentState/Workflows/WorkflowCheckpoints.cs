using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Scripting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Workflows;

/// <summary>
/// Checkpoints of workflows (for example Microsoft Agent Framework supersteps) under the hash tag of their run or
/// session, with the run TTL. Saved on their own, or under a run's lease, where each checkpoint is committed as the
/// run's next step in one round trip: lease and fence checked, checkpoint, step result, TTLs and log entry together,
/// by the same Lua as a step commit (same checks, same TTL renewal, the listing index touched alike).
/// </summary>
public sealed class WorkflowCheckpoints(IConnectionMultiplexer connection, RunStore store, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
{
    private AgentStateOptions Options => options.Value;

    private IDatabase Database => connection.GetDatabase();

    /// <summary>Saves a checkpoint of <paramref name="sessionId"/> outside any run.</summary>
    /// <param name="sessionId">The session (a valid run id); its checkpoints share one hash tag.</param>
    /// <param name="checkpointId">The new checkpoint's id.</param>
    /// <param name="parentId">The checkpoint it follows, if any.</param>
    /// <param name="checkpointJson">The checkpoint (JSON).</param>
    /// <returns><see cref="WorkflowCheckpointOutcome.Saved"/>, or <see cref="WorkflowCheckpointOutcome.Exists"/> for a taken id.</returns>
    /// <exception cref="ArgumentException">The session id is not a valid run id.</exception>
    public Task<WorkflowCheckpointResult> SaveAsync(string sessionId, string checkpointId, string? parentId, string checkpointJson)
    {
        ThrowIfInvalid(checkpointId, parentId, checkpointJson);
        return EvaluateAsync(sessionId, worker: "", [
            "", 0, checkpointId, parentId ?? "", checkpointJson, 0, "", "", "",
        ]);
    }

    /// <summary>Saves a checkpoint of the run held by <paramref name="lease"/> and commits it as the run's next step.</summary>
    /// <param name="lease">The lease of the worker running the workflow; the session is the run.</param>
    /// <param name="checkpointId">The new checkpoint's id.</param>
    /// <param name="parentId">The checkpoint it follows, if any.</param>
    /// <param name="checkpointJson">The checkpoint (JSON).</param>
    /// <param name="step">How the checkpoint shows as a step of the run.</param>
    /// <returns><see cref="WorkflowCheckpointOutcome.Committed"/> with the step number, or why it was refused.</returns>
    public Task<WorkflowCheckpointResult> CommitAsync(RunLease lease, string checkpointId, string? parentId, string checkpointJson, WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(step);
        ThrowIfInvalid(checkpointId, parentId, checkpointJson);
        return EvaluateAsync(lease.RunId, lease.Worker, [
            lease.Owner, lease.Fence, checkpointId, parentId ?? "", checkpointJson,
            lease.Checkpoint.Attempt, step.Name, step.ResultJson, step.LogDetailsJson,
        ]);
    }

    /// <summary>Reads one checkpoint; <see langword="null"/> when it does not exist (never saved, deleted or expired).</summary>
    /// <param name="sessionId">The session or run.</param>
    /// <param name="checkpointId">The checkpoint's id.</param>
    /// <returns>The checkpoint's JSON, or <see langword="null"/>.</returns>
    public async Task<string?> LoadAsync(string sessionId, string checkpointId)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointId);
        var value = await Database.HashGetAsync(AgentKeys.WorkflowCheckpoints(sessionId), checkpointId).ConfigureAwait(false);
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>Lists the checkpoints of a session in commit order, oldest first.</summary>
    /// <param name="sessionId">The session or run.</param>
    /// <returns>Every checkpoint with its parent; empty when there is none.</returns>
    public async Task<IReadOnlyList<WorkflowCheckpointEntry>> ListAsync(string sessionId)
    {
        var entries = await Database.ListRangeAsync(AgentKeys.WorkflowCheckpointIndex(sessionId)).ConfigureAwait(false);
        return entries.Select(ListEntry).ToArray();
    }

    private static WorkflowCheckpointEntry ListEntry(RedisValue entry)
    {
        var text = entry.ToString();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var parent = text[(space + 1)..];
        return new WorkflowCheckpointEntry(text[..space], parent.Length == 0 ? null : parent);
    }

    /// <summary>
    /// Copies the first <paramref name="count"/> checkpoints of <paramref name="fromSessionId"/>, in commit order, to
    /// <paramref name="toSessionId"/> with the run TTL. Under a lease every checkpoint is one step of its run, so a fork
    /// that keeps steps 1 to N copies the first N and resumes from the checkpoint its step N names. The two sessions
    /// live on different hash tags: the copy is read here and written in one transaction on the target.
    /// </summary>
    /// <param name="fromSessionId">The session or run copied.</param>
    /// <param name="toSessionId">The new session or run, which has no checkpoints yet.</param>
    /// <param name="count">How many checkpoints to copy, from the first.</param>
    /// <returns>How many were copied: 0 when the source has none (a run of an agent that is not a workflow).</returns>
    public async Task<int> CopyAsync(string fromSessionId, string toSessionId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var database = Database;
        var index = count == 0 ? [] : await database.ListRangeAsync(AgentKeys.WorkflowCheckpointIndex(fromSessionId), 0, count - 1).ConfigureAwait(false);
        if (index.Length == 0)
        {
            return 0;
        }

        var ids = index.Select(entry => (RedisValue)ListEntry(entry).CheckpointId).ToArray();
        var values = await database.HashGetAsync(AgentKeys.WorkflowCheckpoints(fromSessionId), ids).ConfigureAwait(false);
        var transaction = database.CreateTransaction();
        RedisKey targetCheckpoints = AgentKeys.WorkflowCheckpoints(toSessionId), targetIndex = AgentKeys.WorkflowCheckpointIndex(toSessionId);
        _ = transaction.HashSetAsync(targetCheckpoints, ids.Zip(values, (id, value) => new HashEntry(id, value)).Where(entry => !entry.Value.IsNull).ToArray());
        _ = transaction.ListRightPushAsync(targetIndex, index);
        _ = transaction.KeyExpireAsync(targetCheckpoints, Options.RunTtl);
        _ = transaction.KeyExpireAsync(targetIndex, Options.RunTtl);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        return index.Length;
    }

    /// <summary>Deletes every checkpoint of a session saved on its own; a run's checkpoints go with the run.</summary>
    /// <param name="sessionId">The session.</param>
    /// <returns>Whether there was anything to delete.</returns>
    public async Task<bool> DeleteAsync(string sessionId) =>
        await Database.KeyDeleteAsync([AgentKeys.WorkflowCheckpoints(sessionId), AgentKeys.WorkflowCheckpointIndex(sessionId)]).ConfigureAwait(false) > 0;

    // The index holds "ID PARENT", so an id cannot contain the space that separates them.
    private static void ThrowIfInvalid(string checkpointId, string? parentId, string checkpointJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointId);
        ArgumentException.ThrowIfNullOrEmpty(checkpointJson);
        if (checkpointId.Contains(' ', StringComparison.Ordinal) || parentId?.Contains(' ', StringComparison.Ordinal) == true)
        {
            throw new ArgumentException("A checkpoint id cannot contain a space.", nameof(checkpointId));
        }
    }

    private async Task<WorkflowCheckpointResult> EvaluateAsync(string runId, string worker, RedisValue[] rest)
    {
        var keys = RunScriptArguments.Keys(runId);
        var now = timeProvider.GetUtcNow();
        var reply = await AgentScripts.WorkflowCheckpoint.EvaluateRunAsync(
            Database,
            store.Signals,
            runId,
            [.. keys, AgentKeys.WorkflowCheckpoints(runId), AgentKeys.WorkflowCheckpointIndex(runId)],
            RunScriptArguments.Arguments(runId, now, Options, worker, rest)).ConfigureAwait(false);
        if (reply.Outcome == ScriptOutcome.Committed && (string?)reply.Items[2] == "1")
        {
            // As after a step commit: the script renewed the run's TTLs, so its listing entry follows.
            await RunIndex.TryAsync(store.IndexWrites.TouchAsync(runId, now)).ConfigureAwait(false);
        }

        return reply.Outcome switch
        {
            ScriptOutcome.Saved => new(WorkflowCheckpointOutcome.Saved, 0),
            ScriptOutcome.Committed => new(WorkflowCheckpointOutcome.Committed, int.Parse(reply.Status, System.Globalization.CultureInfo.InvariantCulture)),
            ScriptOutcome.Fenced => new(WorkflowCheckpointOutcome.Fenced, 0),
            ScriptOutcome.Exists => new(WorkflowCheckpointOutcome.Exists, 0),
            _ => new(WorkflowCheckpointOutcome.Stopped, 0),
        };
    }
}
