using AgentAspire.AgentState.Queue;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>How a worker's reads find queued entries: the shard a wake-up named first, every shard in turn when idle.</summary>
public sealed class QueueReadTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task A_lone_reader_with_a_batch_of_one_reads_only_the_shard_of_each_new_entry()
    {
        // Arrange: a reader past its start-up reads (every shard once, for entries queued before it began)
        var queue = Services().Queue;
        Assert.Empty(await queue.ReadAsync("worker-a", 100));
        var shards = new AgentStateOptions().QueueShards;
        var runIds = Enumerable.Range(0, 4 * shards).Select(i => RunIdOnShard(queue, i % shards)).ToList();
        var readsBefore = await XReadGroupCallsAsync();

        // Act: one run after another, each queued then read with a batch of one, as a worker with one free slot does
        var found = new List<string>();
        foreach (var runId in runIds)
        {
            await queue.EnqueueAsync(runId, traceParent: null);
            found.Add(Assert.Single(await queue.ReadAsync("worker-a", 1)).RunId);
        }

        // Assert: one XREADGROUP per run, never the shard just emptied first
        Assert.Equal(runIds, found);
        Assert.Equal(runIds.Count, await XReadGroupCallsAsync() - readsBefore);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_entry_whose_wake_up_the_reader_never_heard_is_found_by_its_idle_polls()
    {
        // Arrange: the reader past its start-up reads; another process queues a run the reader hears nothing of
        var reader = Services().Queue;
        var producer = Services().Queue;
        Assert.Empty(await reader.ReadAsync("worker-a", 100));
        var runId = RunIdOnShard(producer, new AgentStateOptions().QueueShards - 1);
        await producer.EnqueueAsync(runId, traceParent: null);

        // Act: idle polls, each one read of one shard in turn
        var polls = 0;
        IReadOnlyList<QueueEntry> read = [];
        while (read.Count == 0 && polls < new AgentStateOptions().QueueShards)
        {
            read = await reader.ReadAsync("worker-a", 1);
            polls++;
        }

        // Assert: found within one turn over the shards
        Assert.Equal(runId, Assert.Single(read).RunId);
    }

    private static string RunIdOnShard(RunQueue queue, int shard)
    {
        while (true)
        {
            var runId = NewRunId();
            if (queue.ShardOf(runId) == shard)
            {
                return runId;
            }
        }
    }

    private async Task<long> XReadGroupCallsAsync()
    {
        long calls = 0;
        foreach (var primary in Server.Primaries)
        {
            var stats = (await primary.InfoAsync("commandstats")).SelectMany(group => group);
            var xreadgroup = stats.FirstOrDefault(stat => stat.Key == "cmdstat_xreadgroup").Value;
            if (xreadgroup is not null)
            {
                calls += long.Parse(xreadgroup.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }
}
