using AgentAspire.AgentState.Batching;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// The listing-index writes of one connection, coalesced: the changes of every run in flight go out as one <c>ZADD</c>
/// and one <c>ZREM</c> per index key instead of one command per change, which under load is most of the index's cost
/// to the server. Within a batch the last change of a run in a key wins, as it would have one command at a time.
/// A singleton of <c>AddAgentState</c>: every writer of a process shares the batching.
/// </summary>
internal sealed class RunIndexWrites
{
    private readonly Coalescer<IndexChange[]> _changes;

    public RunIndexWrites(IConnectionMultiplexer connection) => _changes = new(batch => SendAsync(connection.GetDatabase(), batch));

    /// <summary>
    /// Puts a run in the indexes of its new status (and its agent, when given: written once, at create), moves it to
    /// the top of <c>agent:index</c> and takes it out of the index of its previous status.
    /// </summary>
    public Task UpdateAsync(string runId, string agent, string status, string? previousStatus, DateTimeOffset at)
    {
        var shard = RunIndex.ShardOf(runId);
        var score = UnixTime.Score(at);
        var changes = new List<IndexChange>(4)
        {
            IndexChange.Add(AgentKeys.RunIndex(shard), runId, score),
            IndexChange.Add(AgentKeys.RunIndexByStatus(shard, status), runId, score),
        };
        if (agent.Length > 0)
        {
            changes.Add(IndexChange.Add(AgentKeys.RunIndexByAgent(shard, agent), runId, score));
        }

        if (previousStatus is not null && previousStatus != status)
        {
            changes.Add(IndexChange.Remove(AgentKeys.RunIndexByStatus(shard, previousStatus), runId));
        }

        return ApplyAsync([.. changes]);
    }

    /// <summary>Moves a run to the top of <c>agent:index</c>: the cheap update of a commit that keeps the status.</summary>
    public Task TouchAsync(string runId, DateTimeOffset at) =>
        ApplyAsync(IndexChange.Add(AgentKeys.RunIndex(RunIndex.ShardOf(runId)), runId, UnixTime.Score(at)));

    /// <summary>Takes a deleted run out of every index it can be in.</summary>
    public Task RemoveAsync(string runId, string agent)
    {
        var shard = RunIndex.ShardOf(runId);
        IEnumerable<string> keys = [AgentKeys.RunIndex(shard), .. RunStatus.All.Select(status => AgentKeys.RunIndexByStatus(shard, status))];
        if (agent.Length > 0)
        {
            keys = keys.Append(AgentKeys.RunIndexByAgent(shard, agent));
        }

        return ApplyAsync([.. keys.Select(key => IndexChange.Remove(key, runId))]);
    }

    /// <summary>Writes <paramref name="changes"/>, all in the same batch; completes once that batch was written.</summary>
    private Task ApplyAsync(params IndexChange[] changes) => _changes.AddAsync(changes);

    private static Task SendAsync(IDatabaseAsync database, IReadOnlyList<IndexChange[]> batch)
    {
        var last = new Dictionary<(string Key, string RunId), double?>();
        foreach (var change in batch.SelectMany(changes => changes))
        {
            last[(change.Key, change.RunId)] = change.Score;
        }

        var commands = new List<Task>();
        foreach (var key in last.GroupBy(change => change.Key.Key, StringComparer.Ordinal))
        {
            var added = key.Where(change => change.Value is not null).Select(change => new SortedSetEntry(change.Key.RunId, change.Value!.Value)).ToArray();
            var removed = key.Where(change => change.Value is null).Select(change => (RedisValue)change.Key.RunId).ToArray();
            if (added.Length > 0)
            {
                commands.Add(database.SortedSetAddAsync(key.Key, added));
            }

            if (removed.Length > 0)
            {
                commands.Add(database.SortedSetRemoveAsync(key.Key, removed));
            }
        }

        return Task.WhenAll(commands);
    }
}
