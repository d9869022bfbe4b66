using StackExchange.Redis;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// The listing indexes, ZSETs of run ids scored by last update: all runs, runs per status, runs per agent.
/// They live outside the run's slot, so they are written in the same round trip as the run's script, not inside it;
/// a listing drops (and removes) any entry whose run has expired or moved to another status.
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

    public static Task RemoveAsync(IDatabaseAsync database, string runId, string agent) =>
        Task.WhenAll(
            RunStatus.All.Select(status => database.SortedSetRemoveAsync(AgentKeys.RunIndexByStatus(status), runId))
                .Append(database.SortedSetRemoveAsync(AgentKeys.RunIndex, runId))
                .Append(agent.Length > 0 ? database.SortedSetRemoveAsync(AgentKeys.RunIndexByAgent(agent), runId) : Task.CompletedTask));

    /// <summary>Removes entries not updated within the run TTL: their runs have expired.</summary>
    public static async Task<long> TrimAsync(IDatabaseAsync database, DateTimeOffset cutoff, IEnumerable<string> agents)
    {
        var keys = RunStatus.All.Select(AgentKeys.RunIndexByStatus)
            .Concat(agents.Select(AgentKeys.RunIndexByAgent))
            .Prepend(AgentKeys.RunIndex);
        var removed = await Task.WhenAll(keys.Select(key =>
            database.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, UnixTime.Score(cutoff), Exclude.Stop))).ConfigureAwait(false);
        return removed[0];
    }
}
