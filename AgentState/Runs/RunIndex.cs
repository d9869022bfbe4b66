using StackExchange.Redis;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// The listing indexes, ZSETs of run ids: all runs scored by last update (status changes, and commits that renew
/// the run's TTLs, about every hundredth of the TTL), runs per status scored by their last status change, and
/// runs per agent scored by creation (written once: a run's agent never changes; callers pass an empty agent after
/// that). They live outside the run's slot, so they are written in the same round trip as the run's
/// script, not inside it; a listing drops (and removes) any entry whose run has expired or moved to another status.
/// </summary>
internal static class RunIndex
{
    public static Task UpdateAsync(IDatabaseAsync database, string runId, string agent, string status, string? previousStatus, DateTimeOffset at)
    {
        var score = UnixTime.Score(at);
        var updates = new List<Task>(4)
        {
            database.SortedSetAddAsync(AgentKeys.RunIndex, runId, score),
            database.SortedSetAddAsync(AgentKeys.RunIndexByStatus(status), runId, score),
        };
        if (agent.Length > 0)
        {
            updates.Add(database.SortedSetAddAsync(AgentKeys.RunIndexByAgent(agent), runId, score));
        }

        if (previousStatus is not null && previousStatus != status)
        {
            updates.Add(database.SortedSetRemoveAsync(AgentKeys.RunIndexByStatus(previousStatus), runId));
        }

        return Task.WhenAll(updates);
    }

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

    /// <summary>Moves a run to the top of <c>agent:index</c>: the cheap update of a commit that keeps the status.</summary>
    public static Task TouchAsync(IDatabaseAsync database, string runId, DateTimeOffset at) =>
        database.SortedSetAddAsync(AgentKeys.RunIndex, runId, UnixTime.Score(at));

    public static Task RemoveAsync(IDatabaseAsync database, string runId, string agent) =>
        Task.WhenAll(
            RunStatus.All.Select(status => database.SortedSetRemoveAsync(AgentKeys.RunIndexByStatus(status), runId))
                .Append(database.SortedSetRemoveAsync(AgentKeys.RunIndex, runId))
                .Append(agent.Length > 0 ? database.SortedSetRemoveAsync(AgentKeys.RunIndexByAgent(agent), runId) : Task.CompletedTask));

    /// <summary>
    /// Removes entries of expired runs. In <c>agent:index</c> the score is the last update, so every entry older
    /// than the run TTL is gone; in the status and agent indexes a long run may be older, so those entries are
    /// removed only once their state has expired. Returns how many entries were removed.
    /// </summary>
    public static async Task<long> TrimAsync(IDatabaseAsync database, DateTimeOffset cutoff, IEnumerable<string> agents, int batchSize = 500)
    {
        var removed = await database.SortedSetRemoveRangeByScoreAsync(AgentKeys.RunIndex, double.NegativeInfinity, UnixTime.Score(cutoff), Exclude.Stop).ConfigureAwait(false);
        foreach (var index in RunStatus.All.Select(AgentKeys.RunIndexByStatus).Concat(agents.Select(AgentKeys.RunIndexByAgent)))
        {
            var old = await database.SortedSetRangeByScoreAsync(index, double.NegativeInfinity, UnixTime.Score(cutoff), Exclude.Stop, take: batchSize).ConfigureAwait(false);
            var exists = await Task.WhenAll(old.Select(runId => database.KeyExistsAsync(AgentKeys.State(runId.ToString())))).ConfigureAwait(false);
            var expired = old.Where((_, i) => !exists[i]).ToArray();
            if (expired.Length > 0)
            {
                removed += await database.SortedSetRemoveAsync(index, expired).ConfigureAwait(false);
            }
        }

        return removed;
    }
}
