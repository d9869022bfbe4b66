namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// The pub/sub subscriptions of one component. A subscription that completes after the component is gone is
/// dropped at once, so a page left quickly never leaves a handler behind.
/// </summary>
public sealed class Subscriptions : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _active = [];
    private bool _disposed;

    /// <summary>Waits for <paramref name="subscribing"/> and keeps it until <see cref="DisposeAsync"/>.</summary>
    public async Task AddAsync(Task<IAsyncDisposable> subscribing)
    {
        var subscription = await subscribing;
        lock (_active)
        {
            if (!_disposed)
            {
                _active.Add(subscription);
                return;
            }
        }

        await subscription.DisposeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] active;
        lock (_active)
        {
            _disposed = true;
            active = [.. _active];
            _active.Clear();
        }

        foreach (var subscription in active)
        {
            await subscription.DisposeAsync();
        }
    }
}
