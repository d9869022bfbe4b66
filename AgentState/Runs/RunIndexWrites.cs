using System.Runtime.CompilerServices;
using AgentAspire.AgentState.Batching;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// The listing-index writes of one connection, coalesced: the changes of every run in flight go out as one <c>ZADD</c>
/// and one <c>ZREM</c> per index key instead of one command per change, which under load is most of the index's cost
/// to the server. Within a batch the last change of a run in a key wins, as it would have one command at a time.
/// </summary>
internal sealed class RunIndexWrites
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, RunIndexWrites> s_perConnection = [];

    private readonly Coalescer<IndexChange[]> _changes;

    private RunIndexWrites(IConnectionMultiplexer connection) => _changes = new(batch => SendAsync(connection.GetDatabase(), batch));

    /// <summary>Writes <paramref name="changes"/>, all in the same batch; completes once that batch was written.</summary>
    public static Task ApplyAsync(IConnectionMultiplexer connection, params IndexChange[] changes) =>
        s_perConnection.GetValue(connection, c => new RunIndexWrites(c))._changes.AddAsync(changes);

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
