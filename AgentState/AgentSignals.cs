using StackExchange.Redis;

namespace AgentAspire.AgentState;

/// <summary>
/// Pub/sub wake-ups that replace blocking reads on the shared connection: a run was queued, a run was cancelled,
/// a run's log grew. A signal is a hint; readers still poll slowly in case one is missed.
/// </summary>
public sealed class AgentSignals(IConnectionMultiplexer connection)
{
    /// <summary>Calls <paramref name="handler"/> with the run id whenever a run is queued.</summary>
    public Task<IAsyncDisposable> OnRunQueuedAsync(Action<string> handler) => SubscribeAsync(AgentKeys.RunQueuedChannel, handler);

    /// <summary>Calls <paramref name="handler"/> with the run id whenever a run is cancelled.</summary>
    public Task<IAsyncDisposable> OnRunCancelledAsync(Action<string> handler) => SubscribeAsync(AgentKeys.RunCancelledChannel, handler);

    /// <summary>Calls <paramref name="handler"/> with the run id whenever an entry is appended to a run's log.</summary>
    public Task<IAsyncDisposable> OnLogAppendedAsync(Action<string> handler) => SubscribeAsync(AgentKeys.LogAppendedChannel, handler);

    private async Task<IAsyncDisposable> SubscribeAsync(string channelName, Action<string> handler)
    {
        var channel = RedisChannel.Literal(channelName);
        var subscriber = connection.GetSubscriber();
        Action<RedisChannel, RedisValue> callback = (_, message) => handler(message.ToString());
        await subscriber.SubscribeAsync(channel, callback).ConfigureAwait(false);
        return new Subscription(() => subscriber.UnsubscribeAsync(channel, callback));
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
