using AgentAspire.AgentState.Logs;
namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// The live-log watchers of one circuit (one browser tab), scoped to it. While the circuit's connection is down its
/// watchers are taken off their feeds, so a closed or sleeping tab costs no reads; when it comes back they rejoin and
/// get what they missed. Disposed with the circuit.
/// </summary>
public sealed class CircuitLogWatches(RunLogFeeds feeds) : IDisposable
{
    private readonly HashSet<RunLogWatcher> _watchers = [];
    private bool _connected = true;
    private bool _disposed;

    /// <summary>Starts watching <paramref name="runId"/>; <paramref name="onEntries"/> gets its entries from the beginning, then every new one.</summary>
    public RunLogWatcher Watch(string runId, Action<IReadOnlyList<LogEntry>> onEntries)
    {
        var watcher = new RunLogWatcher(runId, onEntries);
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

    /// <summary>The circuit lost its connection: every watcher leaves its feed.</summary>
    public void ConnectionDown() => SetConnected(false);

    /// <summary>The circuit is connected again: every watcher rejoins and gets what it missed.</summary>
    public void ConnectionUp() => SetConnected(true);

    private void SetConnected(bool connected)
    {
        lock (_watchers)
        {
            if (_disposed || _connected == connected)
            {
                return;
            }

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
        }
    }
}
