namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// Keeps a live view up to date. Change signals (pub/sub messages, entries of a log tail) are coalesced into one
/// refresh at most every <c>delay</c>; refreshes and the view's own loads (a page change, a filter) run one at a time
/// in the order asked, and a signal that arrives during a refresh asks for one more, so the last read sees the latest
/// state. Subscriptions are held until the view is disposed; those made through a factory are dropped while the
/// view's circuit is disconnected (<see cref="PauseAsync"/>) and made again when it comes back (<see cref="ResumeAsync"/>).
/// </summary>
/// <param name="delay">How long a signal waits for the rest of its burst.</param>
/// <param name="refresh">Re-reads what the view shows; it handles its own expected faults.</param>
/// <param name="clock">Measures the delay.</param>
public sealed class LiveRefresh(TimeSpan delay, Func<Task> refresh, TimeProvider clock) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopped = new();
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private readonly List<Func<Task<IAsyncDisposable>>> _resubscribe = [];
    private bool _paused;
    private int _scheduled;

    /// <summary>True once a subscription is held: the view updates by itself.</summary>
    public bool IsLive
    {
        get
        {
            lock (_subscriptions)
            {
                return _subscriptions.Count > 0;
            }
        }
    }

    /// <summary>Asks for a refresh after the delay; does nothing when one is already waiting to start.</summary>
    public void Signal()
    {
        if (_stopped.IsCancellationRequested || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = RefreshLaterAsync(_stopped.Token);
    }

    /// <summary>Runs <paramref name="load"/> once no other load or refresh runs, after those asked before it.</summary>
    public async Task RunAsync(Func<Task> load)
    {
        await _gate.WaitAsync();
        try
        {
            await load();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Refreshes now, in turn with the other loads.</summary>
    public Task RefreshAsync() => RunAsync(refresh);

    /// <summary>
    /// Waits for <paramref name="subscribing"/> and holds the subscription until <see cref="DisposeAsync"/>; one that
    /// completes after the view is gone is dropped at once, so a page left quickly never leaves a handler behind.
    /// </summary>
    public async Task SubscribeAsync(Task<IAsyncDisposable> subscribing)
    {
        var subscription = await subscribing;
        lock (_subscriptions)
        {
            if (!_stopped.IsCancellationRequested && !_paused)
            {
                _subscriptions.Add(subscription);
                return;
            }
        }

        await subscription.DisposeAsync();
    }

    /// <summary>
    /// Subscribes with <paramref name="subscribe"/> and holds the subscription like <see cref="SubscribeAsync(Task{IAsyncDisposable})"/>;
    /// after a pause the subscription is made again with the same factory.
    /// </summary>
    public Task SubscribeAsync(Func<Task<IAsyncDisposable>> subscribe)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        lock (_subscriptions)
        {
            _resubscribe.Add(subscribe);
        }

        return SubscribeAsync(subscribe());
    }

    /// <summary>Drops every subscription until <see cref="ResumeAsync"/>: nothing is read for a view nobody sees.</summary>
    public async Task PauseAsync()
    {
        IAsyncDisposable[] held;
        lock (_subscriptions)
        {
            _paused = true;
            held = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var subscription in held)
        {
            await subscription.DisposeAsync();
        }
    }

    /// <summary>Subscribes again with every factory and refreshes once, for what changed meanwhile.</summary>
    public async Task ResumeAsync()
    {
        Func<Task<IAsyncDisposable>>[] factories;
        lock (_subscriptions)
        {
            if (!_paused || _stopped.IsCancellationRequested)
            {
                return;
            }

            _paused = false;
            factories = [.. _resubscribe];
        }

        foreach (var subscribe in factories)
        {
            await SubscribeAsync(subscribe());
        }

        Signal();
    }

    private async Task RefreshLaterAsync(CancellationToken stopped)
    {
        try
        {
            await Task.Delay(delay, clock, stopped);
            await _gate.WaitAsync(stopped);
            try
            {
                // Signals from here on may carry changes this read misses: they ask for the next one.
                Interlocked.Exchange(ref _scheduled, 0);
                await refresh();
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception) when (stopped.IsCancellationRequested)
        {
            // The view is gone (its renderer may be too): nothing is left to update.
        }
    }

    /// <summary>Drops every subscription and every refresh not yet started.</summary>
    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] held;
        lock (_subscriptions)
        {
            _stopped.Cancel();
            held = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var subscription in held)
        {
            await subscription.DisposeAsync();
        }

        // The gate and the token source are not disposed: a load still in flight releases the one and reads the other.
    }
}
