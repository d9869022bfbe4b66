using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState;

/// <summary>
/// Pub/sub wake-ups that replace blocking reads on the shared connection: a run was queued, a run was cancelled,
/// a run's log grew. A signal is a hint; readers still poll slowly in case one is missed. "Queued" goes over sharded
/// pub/sub (one channel per queue shard, on the shard's slot), so on a cluster it stays on one primary; the other two
/// are heard by every listener whatever the run, so they stay classic channels.
/// </summary>
public sealed class AgentSignals(IConnectionMultiplexer connection, IOptions<AgentStateOptions> options)
{
    /// <summary>Calls <paramref name="handler"/> with the run id whenever a run is queued, on any shard.</summary>
    public Task<IAsyncDisposable> OnRunQueuedAsync(Action<string> handler) =>
        SubscribeAsync(Enumerable.Range(0, options.Value.QueueShards).Select(shard => RedisChannel.Sharded(AgentKeys.RunQueuedChannel(shard))), handler);

    /// <summary>Calls <paramref name="handler"/> with the run id whenever a run is cancelled.</summary>
    public Task<IAsyncDisposable> OnRunCancelledAsync(Action<string> handler) => SubscribeAsync([RedisChannel.Literal(AgentKeys.RunCancelledChannel)], handler);

    /// <summary>Calls <paramref name="handler"/> with the run id whenever an entry is appended to a run's log.</summary>
    public Task<IAsyncDisposable> OnLogAppendedAsync(Action<string> handler) => SubscribeAsync([RedisChannel.Literal(AgentKeys.LogAppendedChannel)], handler);

    private async Task<IAsyncDisposable> SubscribeAsync(IEnumerable<RedisChannel> channels, Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscriber = connection.GetSubscriber();
        Action<RedisChannel, RedisValue> callback = (_, message) => handler(message.ToString());
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
