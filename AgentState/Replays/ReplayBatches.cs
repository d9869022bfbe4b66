using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Replays;

/// <summary>
/// Batches of replays started together, kept as long as runs are (<see cref="AgentStateOptions.RunTtl"/>): which run
/// each replay replays, so the batch's summary is read from the runs themselves as they end.
/// </summary>
public sealed class ReplayBatches(IConnectionMultiplexer connection, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
{
    /// <summary>Records a batch: the replayed run id and its replay's id, pair by pair, with the run TTL in the same transaction.</summary>
    public async Task CreateAsync(string batchId, IReadOnlyList<(string Original, string Replay)> replays)
    {
        RunIds.ThrowIfInvalid(batchId);
        ArgumentNullException.ThrowIfNull(replays);
        var key = AgentKeys.ReplayBatch(batchId);
        var transaction = connection.GetDatabase().CreateTransaction();
        _ = transaction.HashSetAsync(key, replays.Select(pair => new HashEntry(pair.Original, pair.Replay)).Append(new HashEntry(CreatedField, UnixTime.Format(timeProvider.GetUtcNow()))).ToArray());
        _ = transaction.KeyExpireAsync(key, options.Value.RunTtl);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    /// <summary>The batch's pairs (replayed run, replay) in no particular order; null when there is no such batch.</summary>
    public async Task<IReadOnlyList<(string Original, string Replay)>?> GetAsync(string batchId)
    {
        RunIds.ThrowIfInvalid(batchId);
        var entries = await connection.GetDatabase().HashGetAllAsync(AgentKeys.ReplayBatch(batchId)).ConfigureAwait(false);
        return entries.Length == 0
            ? null
            : entries.Where(entry => entry.Name != CreatedField).Select(entry => ((string)entry.Name!, (string)entry.Value!)).OrderBy(pair => pair.Item1, StringComparer.Ordinal).ToList();
    }

    // A field no run id can be (run ids have no spaces), so a batch of no runs still exists.
    private const string CreatedField = "created at";
}
