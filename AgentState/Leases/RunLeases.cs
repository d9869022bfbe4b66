using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Scripting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Leases;

/// <summary>
/// Claims runs for a worker: one script takes the lease (<c>SET NX PX</c>), bumps the fence token and returns the
/// checkpoint, so a resumed run gets every earlier step result in the same round trip.
/// </summary>
public sealed class RunLeases(IConnectionMultiplexer connection, RunQueue queue, RunStore store, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
{
    /// <summary>
    /// Claims the run of a queue entry for <paramref name="worker"/> (also the queue consumer name). A run whose
    /// deliveries ended more than <see cref="AgentStateOptions.MaxDeliveries"/> times in a row without a commit is
    /// failed by the claim itself, under the lease it takes, and its entry dead-lettered (<see cref="ClaimOutcome.Failed"/>).
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(QueueEntry entry, string worker)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var database = connection.GetDatabase();
        if (!RunIds.IsValid(entry.RunId))
        {
            await queue.AcknowledgeAsync(entry).ConfigureAwait(false);
            return new ClaimResult(ClaimOutcome.NothingToDo, "");
        }

        var owner = $"{worker}/{Guid.NewGuid():N}";
        var now = timeProvider.GetUtcNow();
        var reply = await AgentScripts.Claim.EvaluateRunAsync(
            database,
            store.Signals,
            entry.RunId,
            RunScriptArguments.Keys(entry.RunId),
            RunScriptArguments.Arguments(entry.RunId, now, options.Value, worker, [
                owner, options.Value.LeaseMilliseconds, $"{entry.EntryId}/{entry.Deliveries}", options.Value.MaxDeliveries,
                StalledError, StalledDetails,
            ])).ConfigureAwait(false);

        switch (reply.Outcome)
        {
            case ScriptOutcome.Claimed:
                var checkpoint = RunCheckpoint.FromHash(entry.RunId, ReadHash(reply.Items[2]))!;
                // Not awaited here: the index update travels while the first step runs, and the lease awaits it.
                // agent "": the per-agent index is written once, at create (a run's agent never changes).
                var indexed = store.IndexWrites.UpdateAsync(entry.RunId, agent: "", RunStatus.InProgress, reply.Status, now);
                return new ClaimResult(ClaimOutcome.Claimed, reply.Status,
                    new RunLease(connection, queue, store, options.Value, timeProvider, entry, worker, owner, checkpoint, indexed));
            case ScriptOutcome.Busy:
                return new ClaimResult(ClaimOutcome.Busy, reply.Status);
            case ScriptOutcome.Failed:
                // The script failed the run under the lease it took; the index and the dead letters follow.
                await Task.WhenAll(
                    queue.DeadLetterAsync(entry, (string)reply.Items[2]!),
                    RunIndex.TryAsync(store.IndexWrites.UpdateAsync(entry.RunId, agent: "", RunStatus.Failed, reply.Status, now))).ConfigureAwait(false);
                return new ClaimResult(ClaimOutcome.Failed, RunStatus.Failed);
            default:
                await queue.AcknowledgeAsync(entry).ConfigureAwait(false);
                return new ClaimResult(ClaimOutcome.NothingToDo, reply.Status);
        }
    }

    // The claim script fills in how many deliveries ended without a commit and the limit (Lua string.format).
    private const string StalledError = "%d deliveries in a row ended without a new commit (limit %d).";

    private static readonly string StalledDetails = LogDetailsJson.Write(new FailedDetails(StalledError));

    private static IEnumerable<KeyValuePair<string, string>> ReadHash(RedisResult flat)
    {
        var items = (RedisResult[])flat!;
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            yield return KeyValuePair.Create((string)items[i]!, (string?)items[i + 1] ?? "");
        }
    }
}
