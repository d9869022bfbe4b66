using StackExchange.Redis;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// The listing indexes, ZSETs of run ids, each spread over <see cref="AgentKeys.RunIndexShards"/> shards by run id so
/// no single key (and so no single cluster slot) takes every write: all runs scored by last update (status changes,
/// and commits that renew the run's TTLs, about every hundredth of the TTL), runs per status scored by their last
/// status change, and runs per agent scored by creation (written once: a run's agent never changes; callers pass an
/// empty agent after that). They live outside the run's slot, so they are written in the same round trip as the
/// run's script, not inside it, and coalesced across the runs in flight (<see cref="RunIndexWrites"/>, which builds every write); a listing merges
/// the shards and drops (and removes) any entry whose run has expired or moved to another status.
/// </summary>
internal static class RunIndex
{
    /// <summary>
    /// Awaits an index write that follows a change already made to a run. The indexes are a listing aid that a
    /// listing repairs as it reads, so an infrastructure fault here never fails the committed change.
    /// </summary>
    public static async Task TryAsync(Task indexWrite)
    {
        try
        {
            await indexWrite.ConfigureAwait(false);
        }
        catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
        {
        }
    }

    /// <summary>The index a listing reads: by status, else by agent, else all runs; one key per shard.</summary>
    public static string[] Keys(string? status, string? agent) =>
        Enumerable.Range(0, AgentKeys.RunIndexShards)
            .Select(shard => status is not null ? AgentKeys.RunIndexByStatus(shard, status)
                : agent is not null ? AgentKeys.RunIndexByAgent(shard, agent)
                : AgentKeys.RunIndex(shard))
            .ToArray();

    /// <summary>Removes a run from one index (its key in the run's shard), for a listing that met a stale entry.</summary>
    public static Task RemoveFromAsync(IDatabaseAsync database, string[] keys, string runId) =>
        database.SortedSetRemoveAsync(keys[ShardOf(runId)], runId);

    /// <summary>
    /// Reads up to <paramref name="count"/> entries after <paramref name="after"/>, newest first, merged from every
    /// shard in one round trip: each shard gives its own first <paramref name="count"/>, so the merge is exact.
    /// </summary>
    public static async Task<List<RunCursor>> ReadAsync(IDatabaseAsync database, string[] keys, RunCursor? after, int count)
    {
        var shards = await Task.WhenAll(keys.Select(key => ReadShardAsync(database, key, after, count))).ConfigureAwait(false);
        return shards
            .SelectMany(page => page)
            .OrderByDescending(entry => entry.Score)
            .ThenByDescending(entry => entry.RunId, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    /// <summary>
    /// Removes entries of expired runs. In <c>agent:index</c> the score is the last update, so every entry older
    /// than the run TTL is gone; in the status and agent indexes a long run may be older, so those entries are
    /// removed only once their state has expired. Returns how many entries were removed.
    /// </summary>
    public static async Task<long> TrimAsync(IDatabaseAsync database, DateTimeOffset cutoff, IEnumerable<string> agents, int batchSize = 500)
    {
        var agentNames = agents.ToList();
        var removed = 0L;
        for (var shard = 0; shard < AgentKeys.RunIndexShards; shard++)
        {
            removed += await database.SortedSetRemoveRangeByScoreAsync(AgentKeys.RunIndex(shard), double.NegativeInfinity, UnixTime.Score(cutoff), Exclude.Stop).ConfigureAwait(false);
            var current = shard;
            var indexes = RunStatus.All.Select(status => AgentKeys.RunIndexByStatus(current, status))
                .Concat(agentNames.Select(agent => AgentKeys.RunIndexByAgent(current, agent)));
            foreach (var index in indexes)
            {
                var old = await database.SortedSetRangeByScoreAsync(index, double.NegativeInfinity, UnixTime.Score(cutoff), Exclude.Stop, take: batchSize).ConfigureAwait(false);
                var exists = await Task.WhenAll(old.Select(runId => database.KeyExistsAsync(AgentKeys.State(runId.ToString())))).ConfigureAwait(false);
                var expired = old.Where((_, i) => !exists[i]).ToArray();
                if (expired.Length > 0)
                {
                    removed += await database.SortedSetRemoveAsync(index, expired).ConfigureAwait(false);
                }
            }
        }

        return removed;
    }

    internal static int ShardOf(string runId) => AgentKeys.ShardOf(runId, AgentKeys.RunIndexShards);

    private static async Task<List<RunCursor>> ReadShardAsync(IDatabaseAsync database, string index, RunCursor? after, int count)
    {
        // Ties on the score come in descending id order; skip those at or before the cursor. A shard must give a
        // full page when it has one, or the merge could pass over its older entries.
        var max = after?.Score ?? double.PositiveInfinity;
        var page = new List<RunCursor>(count);
        var skipped = 0;
        while (true)
        {
            var entries = await database.SortedSetRangeByScoreWithScoresAsync(index, double.NegativeInfinity, max, Exclude.None, Order.Descending, skipped, count).ConfigureAwait(false);
            page.AddRange(entries
                .Select(entry => new RunCursor(entry.Score, entry.Element.ToString()))
                .Where(entry => after is not { } cursor || entry.Score < cursor.Score || string.CompareOrdinal(entry.RunId, cursor.RunId) < 0));
            if (page.Count >= count || entries.Length < count)
            {
                return page.Count > count ? page[..count] : page;
            }

            skipped += entries.Length;
        }
    }
}
