using AgentAspire.AgentState.Checkpoints;
using AgentAspire.LogViewer.Components.Runs;

namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// The live-log watchers and live views of one circuit (one browser tab), scoped to it. While the circuit's connection
/// is down its watchers are taken off their feeds and its views drop their subscriptions, so a closed or sleeping tab
/// costs no reads; when it comes back they rejoin and catch up. Disposed with the circuit.
/// </summary>
public sealed class CircuitLogWatches(RunLogFeeds feeds) : IDisposable
{
    private readonly HashSet<RunLogWatcher> _watchers = [];
    private readonly HashSet<LiveRefresh> _views = [];
    private bool _connected = true;
    private bool _disposed;

    /// <summary>
    /// Starts watching <paramref name="runId"/>; <paramref name="onEntries"/> gets its entries from the beginning, then
    /// every new one, and <paramref name="onRun"/> the run's checkpoint as its feed reads it after new entries.
    /// </summary>
    public RunLogWatcher Watch(string runId, Action<IReadOnlyList<RunLogEntry>> onEntries, Action<RunCheckpoint> onRun)
    {
        var watcher = new RunLogWatcher(runId, onEntries, onRun);
        lock (_watchers)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _watchers.Add(watcher);
            if (_connected)
            {
                feeds.Attach(watcher);
            }
        }

        return watcher;
    }

    /// <summary>Stops <paramref name="watcher"/> for good.</summary>
    public void Stop(RunLogWatcher watcher)
    {
        lock (_watchers)
        {
            if (_watchers.Remove(watcher) && _connected)
            {
                feeds.Detach(watcher);
            }
        }
    }

    /// <summary>Pauses <paramref name="view"/>'s subscriptions whenever the circuit is disconnected, until <see cref="Forget"/>.</summary>
    public void Track(LiveRefresh view)
    {
        lock (_watchers)
        {
            _views.Add(view);
        }
    }

    /// <summary>Stops tracking <paramref name="view"/> (it is being disposed).</summary>
    public void Forget(LiveRefresh view)
    {
        lock (_watchers)
        {
            _views.Remove(view);
        }
    }

    /// <summary>The circuit lost its connection: every watcher leaves its feed, every view drops its subscriptions.</summary>
    public Task ConnectionDownAsync() => SetConnectedAsync(false);

    /// <summary>The circuit is connected again: every watcher rejoins and gets what it missed, every view subscribes again.</summary>
    public Task ConnectionUpAsync() => SetConnectedAsync(true);

    private async Task SetConnectedAsync(bool connected)
    {
        LiveRefresh[] views;
        lock (_watchers)
        {
            if (_disposed || _connected == connected)
            {
                return;
            }

            views = [.. _views];

            _connected = connected;
            foreach (var watcher in _watchers)
            {
                if (connected)
                {
                    feeds.Attach(watcher);
                }
                else
                {
                    feeds.Detach(watcher);
                }
            }
        }

        foreach (var view in views)
        {
            await (connected ? view.ResumeAsync() : view.PauseAsync());
        }
    }

    /// <summary>Takes every watcher of the circuit off its feed.</summary>
    public void Dispose()
    {
        lock (_watchers)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_connected)
            {
                foreach (var watcher in _watchers)
                {
                    feeds.Detach(watcher);
                }
            }

            _watchers.Clear();
            _views.Clear();
        }
    }
}
