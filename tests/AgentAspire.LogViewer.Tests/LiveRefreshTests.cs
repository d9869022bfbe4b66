using AgentAspire.LogViewer.Runs;
using Microsoft.Extensions.Time.Testing;

namespace AgentAspire.LogViewer.Tests;

public sealed class LiveRefreshTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new();

    private static CancellationToken Stop => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Coalesces_a_burst_of_signals_into_one_refresh_after_the_delay()
    {
        var refreshes = 0;
        var refreshed = new TaskCompletionSource();
        await using var live = new LiveRefresh(Delay, () =>
        {
            Interlocked.Increment(ref refreshes);
            refreshed.TrySetResult();
            return Task.CompletedTask;
        }, _clock);

        for (var i = 0; i < 5; i++)
        {
            live.Signal();
        }

        _clock.Advance(Delay - TimeSpan.FromMilliseconds(1));
        await Drain(live);
        Assert.Equal(0, refreshes);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await refreshed.Task.WaitAsync(Timeout, Stop);
        await Drain(live);

        Assert.Equal(1, refreshes);
    }

    [Fact]
    public async Task A_signal_during_a_refresh_asks_for_one_more_that_reads_the_latest_state()
    {
        var state = 0;
        var seen = new List<int>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var secondDone = new TaskCompletionSource();
        await using var live = new LiveRefresh(Delay, async () =>
        {
            lock (seen)
            {
                seen.Add(state);
            }

            if (seen.Count == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }
            else
            {
                secondDone.TrySetResult();
            }
        }, _clock);

        live.Signal();
        _clock.Advance(Delay);
        await firstStarted.Task.WaitAsync(Timeout, Stop);

        // Changes land while the first read is under way; their signals must not start a second read beside it.
        foreach (var change in new[] { 1, 2, 3 })
        {
            state = change;
            live.Signal();
        }

        _clock.Advance(Delay);
        Assert.Single(seen);

        releaseFirst.SetResult();
        await secondDone.Task.WaitAsync(Timeout, Stop);
        await Drain(live);

        Assert.Equal([0, 3], seen);
    }

    [Fact]
    public async Task Loads_run_one_at_a_time_in_the_order_asked()
    {
        var order = new List<string>();
        var running = 0;
        var mostAtOnce = 0;
        var refreshStarted = new TaskCompletionSource();
        var releaseRefresh = new TaskCompletionSource();

        async Task Load(string name, Task until)
        {
            mostAtOnce = Math.Max(mostAtOnce, Interlocked.Increment(ref running));
            lock (order)
            {
                order.Add(name);
            }

            if (name == "refresh")
            {
                refreshStarted.SetResult();
            }

            await until;
            Interlocked.Decrement(ref running);
        }

        await using var live = new LiveRefresh(Delay, () => Load("refresh", releaseRefresh.Task), _clock);

        live.Signal();
        _clock.Advance(Delay);
        await refreshStarted.Task.WaitAsync(Timeout, Stop);
        var nextPage = live.RunAsync(() => Load("next page", Task.Delay(1, Stop)));
        var filter = live.RunAsync(() => Load("filter", Task.CompletedTask));
        Assert.Equal(["refresh"], order);

        releaseRefresh.SetResult();
        await Task.WhenAll(nextPage, filter).WaitAsync(Timeout, Stop);

        Assert.Equal(["refresh", "next page", "filter"], order);
        Assert.Equal(1, mostAtOnce);
    }

    [Fact]
    public async Task Holds_subscriptions_until_disposed_and_drops_one_that_completes_later()
    {
        var live = new LiveRefresh(Delay, () => Task.CompletedTask, _clock);
        var early = new FakeSubscription();
        var late = new FakeSubscription();
        var lateSubscribing = new TaskCompletionSource<IAsyncDisposable>();

        Assert.False(live.IsLive);
        await live.SubscribeAsync(Task.FromResult<IAsyncDisposable>(early));
        Assert.True(live.IsLive);
        var subscribing = live.SubscribeAsync(lateSubscribing.Task);

        await live.DisposeAsync();
        Assert.True(early.Disposed);
        Assert.False(live.IsLive);

        lateSubscribing.SetResult(late);
        await subscribing.WaitAsync(Timeout, Stop);
        Assert.True(late.Disposed);
        Assert.False(live.IsLive);
    }

    [Fact]
    public async Task Refreshes_nothing_after_it_is_disposed()
    {
        var refreshes = 0;
        var live = new LiveRefresh(Delay, () =>
        {
            Interlocked.Increment(ref refreshes);
            return Task.CompletedTask;
        }, _clock);

        live.Signal();
        await live.DisposeAsync();
        live.Signal();
        _clock.Advance(Delay * 2);
        await Drain(live);

        Assert.Equal(0, refreshes);
    }

    [Fact]
    public async Task Refreshes_now_when_asked()
    {
        var refreshes = 0;
        await using var live = new LiveRefresh(Delay, () =>
        {
            refreshes++;
            return Task.CompletedTask;
        }, _clock);

        await live.RefreshAsync();

        Assert.Equal(1, refreshes);
    }

    // Waits until every load asked before it has run: the gate serves loads in order.
    private static Task Drain(LiveRefresh live) => live.RunAsync(() => Task.CompletedTask).WaitAsync(Timeout, Stop);

    private sealed class FakeSubscription : IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
