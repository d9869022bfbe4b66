using AgentAspire.AgentState.Batching;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Logs;

/// <summary>
/// Wakes the live views of runs whose logs grew, over the sharded channels <see cref="AgentKeys.LogAppendedChannel"/>.
/// A script of a run cannot publish there (the channel's slot is not the run's), so the client publishes after the
/// script returned, which also means a woken viewer always finds the entry. Each channel's wake-ups are coalesced:
/// under load one <c>SPUBLISH</c> names many runs. A wake-up is a hint: a lost one is made up by the viewers' re-read
/// when the connection comes back. One instance per connection, owned by <see cref="AgentSignals"/>, so every writer
/// of a process shares the batching.
/// </summary>
internal sealed class LogWakeups
{
    private readonly Coalescer<string>[] _channels;

    public LogWakeups(IConnectionMultiplexer connection) =>
        _channels = Enumerable.Range(0, AgentKeys.LogAppendedShards)
            .Select(shard => new Coalescer<string>(runIds => PublishAsync(connection, shard, runIds)))
            .ToArray();

    /// <summary>Wakes the viewers of <paramref name="runId"/>, soon or with the next message of its channel.</summary>
    /// <remarks>
    /// Queued to the thread pool: the writer that appended (a step commit) goes on at once instead of first writing
    /// the wake-up to the socket.
    /// </remarks>
    public void Signal(string runId) =>
        ThreadPool.UnsafeQueueUserWorkItem(
            static wakeup => _ = wakeup.Channel.AddAsync(wakeup.RunId),
            (Channel: _channels[AgentKeys.ShardOf(runId, AgentKeys.LogAppendedShards)], RunId: runId),
            preferLocal: false);

    private static async Task PublishAsync(IConnectionMultiplexer connection, int shard, IReadOnlyList<string> runIds)
    {
        var channel = RedisChannel.Sharded(AgentKeys.LogAppendedChannel(shard));
        try
        {
            await connection.GetSubscriber().PublishAsync(channel, string.Join(' ', runIds.Distinct(StringComparer.Ordinal))).ConfigureAwait(false);
        }
        catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex) || ex is RedisException)
        {
            // A hint only: the write it announces is done, and viewers re-read when the connection comes back.
        }
    }
}
