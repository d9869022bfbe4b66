using AgentAspire.AgentState;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>Sums the sharded queue and index keys, for checks that need a total over every shard.</summary>
internal static class ShardedKeys
{
    private static readonly int QueueShards = new AgentStateOptions().QueueShards;

    public static async Task<long> QueueLengthAsync(IDatabaseAsync db) =>
        (await Task.WhenAll(Enumerable.Range(0, QueueShards).Select(shard => db.StreamLengthAsync(AgentKeys.RunQueue(shard)))).ConfigureAwait(false)).Sum();

    public static async Task<long> PendingAsync(IDatabaseAsync db) =>
        (await Task.WhenAll(Enumerable.Range(0, QueueShards).Select(shard => db.StreamPendingAsync(AgentKeys.RunQueue(shard), AgentKeys.WorkerGroup))).ConfigureAwait(false))
            .Sum(info => info.PendingMessageCount);

    public static async Task<long> RunsInStatusAsync(IDatabaseAsync db, string status) =>
        (await Task.WhenAll(Enumerable.Range(0, AgentKeys.RunIndexShards).Select(shard => db.SortedSetLengthAsync(AgentKeys.RunIndexByStatus(shard, status)))).ConfigureAwait(false)).Sum();
}
