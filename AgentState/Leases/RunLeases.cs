using AgentAspire.AgentState.Checkpoints;
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
public sealed class RunLeases(IConnectionMultiplexer connection, RunQueue queue, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
{
    /// <summary>Claims the run of a queue entry for <paramref name="worker"/> (also the queue consumer name).</summary>
    public async Task<ClaimResult> ClaimAsync(QueueEntry entry, string worker)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var database = connection.GetDatabase();
        if (!RunIds.IsValid(entry.RunId))
        {
            await RunQueue.AcknowledgeAsync(database, entry).ConfigureAwait(false);
            return new ClaimResult(ClaimOutcome.NothingToDo, "");
        }

        var owner = $"{worker}/{Guid.NewGuid():N}";
        var now = timeProvider.GetUtcNow();
        var reply = await AgentScripts.Claim.EvaluateRunAsync(
            database,
            entry.RunId,
            RunScriptArguments.Keys(entry.RunId),
            RunScriptArguments.Arguments(entry.RunId, now, options.Value, worker, [owner, options.Value.LeaseMilliseconds])).ConfigureAwait(false);

        switch (reply.Outcome)
        {
            case ScriptOutcome.Claimed:
                var checkpoint = RunCheckpoint.FromHash(entry.RunId, ReadHash(reply.Items[2]))!;
                // Not awaited here: the index update travels while the first step runs, and the lease awaits it.
                // agent "": the per-agent index is written once, at create (a run's agent never changes).
                var indexed = RunIndex.UpdateAsync(database, entry.RunId, agent: "", RunStatus.InProgress, reply.Status, now);
                return new ClaimResult(ClaimOutcome.Claimed, reply.Status,
                    new RunLease(connection, queue, options.Value, timeProvider, entry, worker, owner, checkpoint, indexed));
            case ScriptOutcome.Busy:
                return new ClaimResult(ClaimOutcome.Busy, reply.Status);
            default:
                await RunQueue.AcknowledgeAsync(database, entry).ConfigureAwait(false);
                return new ClaimResult(ClaimOutcome.NothingToDo, reply.Status);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadHash(RedisResult flat)
    {
        var items = (RedisResult[])flat!;
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            yield return KeyValuePair.Create((string)items[i]!, (string?)items[i + 1] ?? "");
        }
    }
}
