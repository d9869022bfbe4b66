using AgentAspire.AgentState.Batching;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Queue;

/// <summary>
/// The queue acknowledgements of one connection, coalesced: the entries of every run that ended meanwhile are
/// acknowledged and deleted with one <c>XACK</c> and one <c>XDEL</c> per queue shard, instead of two commands each.
/// A singleton of <c>AddAgentState</c>: every worker of a process shares the batching.
/// </summary>
internal sealed class QueueAcknowledgements
{
    private readonly Coalescer<QueueEntry> _entries;

    public QueueAcknowledgements(IConnectionMultiplexer connection) => _entries = new(batch => SendAsync(connection.GetDatabase(), batch));

    /// <summary>Acknowledges and deletes <paramref name="entry"/>; completes once its batch was written.</summary>
    public Task AcknowledgeAsync(QueueEntry entry) => _entries.AddAsync(entry);

    private static Task SendAsync(IDatabaseAsync database, IReadOnlyList<QueueEntry> batch)
    {
        var commands = new List<Task>();
        foreach (var shard in batch.GroupBy(entry => entry.Shard))
        {
            var stream = AgentKeys.RunQueue(shard.Key);
            var ids = shard.Select(entry => (RedisValue)entry.EntryId).Distinct().ToArray();
            commands.Add(database.StreamAcknowledgeAsync(stream, AgentKeys.WorkerGroup, ids));
            commands.Add(database.StreamDeleteAsync(stream, ids));
        }

        return Task.WhenAll(commands);
    }
}
