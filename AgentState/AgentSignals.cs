using AgentAspire.AgentState.Logs;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState;

/// <summary>
/// Pub/sub wake-ups that replace blocking reads on the shared connection: a run was queued, a run was cancelled,
/// a run's log grew. A signal is a hint; readers still poll slowly in case one is missed. "Queued" and "log grew" go
/// over sharded pub/sub (a few channels, each on its own slot), so on a cluster each message stays on one primary;
/// "cancelled" is rare and every worker must hear it, so it stays a classic channel. This is also the one publisher
/// of those signals: no script publishes, so every channel name lives here and in <see cref="AgentKeys"/>.
/// </summary>
public sealed class AgentSignals
{
    private readonly IConnectionMultiplexer _connection;
    private readonly AgentStateOptions _options;
    private readonly LogWakeups _logWakeups;

    internal AgentSignals(IConnectionMultiplexer connection, IOptions<AgentStateOptions> options, LogWakeups logWakeups)
    {
        _connection = connection;
        _options = options.Value;
        _logWakeups = logWakeups;
    }

    /// <summary>Calls <paramref name="handler"/> with the run id whenever a run is queued, on any shard.</summary>
    public Task<IAsyncDisposable> OnRunQueuedAsync(Action<string> handler) =>
        SubscribeAsync(Enumerable.Range(0, _options.QueueShards).Select(shard => RedisChannel.Sharded(AgentKeys.RunQueuedChannel(shard))), handler);

    /// <summary>Calls <paramref name="handler"/> with the run id whenever a run is cancelled.</summary>
    public Task<IAsyncDisposable> OnRunCancelledAsync(Action<string> handler) => SubscribeAsync([RedisChannel.Literal(AgentKeys.RunCancelledChannel)], handler);

    /// <summary>
    /// Calls <paramref name="handler"/> with the run id whenever entries are appended to a run's log, of any run. A
    /// run's first entry (<c>queued</c>) is announced by <see cref="OnRunQueuedAsync"/> instead.
    /// </summary>
    public Task<IAsyncDisposable> OnLogAppendedAsync(Action<string> handler) =>
        SubscribeAsync(Enumerable.Range(0, AgentKeys.LogAppendedShards).Select(LogAppendedChannel), handler);

    /// <summary>
    /// Calls <paramref name="handler"/> whenever entries are appended to the log of <paramref name="runId"/>: one
    /// channel, shared with the runs of its shard, whose signals are passed over.
    /// </summary>
    public Task<IAsyncDisposable> OnLogAppendedAsync(string runId, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SubscribeAsync([LogAppendedChannel(AgentKeys.ShardOf(runId, AgentKeys.LogAppendedShards))], id =>
        {
            if (id == runId)
            {
                handler();
            }
        });
    }

    /// <summary>Wakes idle workers: a run was queued on <paramref name="shard"/> (sharded, on the queue shard's slot).</summary>
    internal Task PublishRunQueuedAsync(int shard, string runId) =>
        _connection.GetSubscriber().PublishAsync(RedisChannel.Sharded(AgentKeys.RunQueuedChannel(shard)), runId);

    /// <summary>Tells every worker that a run was cancelled or deleted, so the one running it stops its step.</summary>
    internal Task PublishRunCancelledAsync(string runId) =>
        _connection.GetSubscriber().PublishAsync(RedisChannel.Literal(AgentKeys.RunCancelledChannel), runId);

    /// <summary>Wakes the live views of a run whose log grew: coalesced per channel, sent off the caller's path.</summary>
    internal void PublishLogAppended(string runId) => _logWakeups.Signal(runId);

    private static RedisChannel LogAppendedChannel(int shard) => RedisChannel.Sharded(AgentKeys.LogAppendedChannel(shard));

    private async Task<IAsyncDisposable> SubscribeAsync(IEnumerable<RedisChannel> channels, Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscriber = _connection.GetSubscriber();
        // A message may carry several run ids, space-separated (LogWakeups batches them).
        Action<RedisChannel, RedisValue> callback = (_, message) =>
        {
            foreach (var runId in message.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                handler(runId);
            }
        };
        var subscribed = new List<RedisChannel>();
        var subscription = new Subscription(() => Task.WhenAll(subscribed.Select(channel => subscriber.UnsubscribeAsync(channel, callback))));
        try
        {
            foreach (var channel in channels)
            {
                await subscriber.SubscribeAsync(channel, callback).ConfigureAwait(false);
                subscribed.Add(channel);
            }
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return subscription;
    }

    private sealed class Subscription(Func<Task> unsubscribe) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await unsubscribe().ConfigureAwait(false);
            }
        }
    }
}
