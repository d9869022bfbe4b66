using System.Collections.Concurrent;
using System.Threading.Channels;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using AgentAspire.LogViewer.Components.Runs;
using StackExchange.Redis;

namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// The live logs of the runs this viewer process shows: one <see cref="RunLogFeed"/> per run, whatever number of pages
/// watch it, so a run's log is subscribed to and read once per process, not once per page. A feed starts with its first
/// watcher and stops (its subscription dropped, its reads ended) the moment its last watcher leaves.
/// </summary>
public sealed partial class RunLogFeeds(RunReader reader, AgentSignals signals, IConnectionMultiplexer connection, ILogger<RunLogFeeds> logger) : IAsyncDisposable
{
    // Runs whose read counts are kept after their feed stopped, so a diagnostic can show the reads have stopped.
    private const int MaxReadCountsKept = 1000;

    private readonly RunReader _reader = reader;
    private readonly AgentSignals _signals = signals;
    private readonly IConnectionMultiplexer _connection = connection;
    private readonly ILogger<RunLogFeeds> _logger = logger;
    private readonly Dictionary<string, RunLogFeed> _feeds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _readsOfStoppedFeeds = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds <paramref name="watcher"/> to the feed of its run (starting the feed if none runs): it gets the entries the
    /// feed holds after the last one it saw, then every new one.
    /// </summary>
    public void Attach(RunLogWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        lock (_feeds)
        {
            if (!_feeds.TryGetValue(watcher.RunId, out var feed))
            {
                feed = new RunLogFeed(watcher.RunId, this);
                _feeds.Add(watcher.RunId, feed);
                _readsOfStoppedFeeds.TryRemove(watcher.RunId, out var earlierReads);
                feed.Start(earlierReads);
            }

            feed.Add(watcher);
        }
    }

    /// <summary>Takes <paramref name="watcher"/> off its run's feed; the last one to leave stops the feed at once.</summary>
    public void Detach(RunLogWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        RunLogFeed? stopped = null;
        lock (_feeds)
        {
            if (_feeds.TryGetValue(watcher.RunId, out var feed) && feed.Remove(watcher) == 0)
            {
                _feeds.Remove(watcher.RunId);
                KeepReadCount(watcher.RunId, feed.State().Reads);
                stopped = feed;
            }
        }

        stopped?.Stop();
    }

    /// <summary>What runs now, for the diagnostic page: each fed run with its watchers, subscriptions and reads so far.</summary>
    public IReadOnlyList<RunLogFeedState> States()
    {
        lock (_feeds)
        {
            return
            [
                .. _feeds.Values.Select(feed => feed.State()),
                .. _readsOfStoppedFeeds.Select(stopped => new RunLogFeedState(stopped.Key, 0, 0, stopped.Value)),
            ];
        }
    }

    private void KeepReadCount(string runId, long reads)
    {
        if (_readsOfStoppedFeeds.Count >= MaxReadCountsKept)
        {
            _readsOfStoppedFeeds.Clear();
        }

        _readsOfStoppedFeeds[runId] = reads;
    }

    /// <summary>Stops every feed.</summary>
    public ValueTask DisposeAsync()
    {
        RunLogFeed[] feeds;
        lock (_feeds)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        foreach (var feed in feeds)
        {
            feed.Stop();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// One run's live log: one subscription to its wake-ups, one read per wake-up (a page at a time), the entries kept
    /// for a watcher that joins later, and every new entry handed to every watcher as the same immutable row. Once caught
    /// up after new entries it reads the run's checkpoint once, for every watcher, so no page reads the run on its own.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Stop cancels the token source; the ending follow loop still reads its token.")]
    private sealed class RunLogFeed(string runId, RunLogFeeds feeds)
    {
        // As many entries as a run page shows: a page that opens later starts from these without a read of its own.
        private const int MaxEntriesKept = 5000;

        private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

        private readonly CancellationTokenSource _stop = new();
        private readonly List<RunLogWatcher> _watchers = [];
        private readonly List<RunLogEntry> _entries = [];
        private RunCheckpoint? _run;
        private long _reads;
        private int _subscriptions;

        public void Start(long earlierReads)
        {
            _reads = earlierReads;
            _ = FollowAsync(_stop.Token);
        }

        // The token source is not disposed: the follow loop may still be reading its token as it ends.
        public void Stop() => _stop.Cancel();

        public void Add(RunLogWatcher watcher)
        {
            lock (_watchers)
            {
                _watchers.Add(watcher);
                // Under the same lock as a new page of entries, so the watcher misses none and gets none twice.
                watcher.Deliver([.. _entries]);
                if (_run is not null)
                {
                    watcher.Deliver(_run);
                }
            }
        }

        public int Remove(RunLogWatcher watcher)
        {
            lock (_watchers)
            {
                _watchers.Remove(watcher);
                return _watchers.Count;
            }
        }

        public RunLogFeedState State()
        {
            lock (_watchers)
            {
                return new RunLogFeedState(runId, _watchers.Count, Volatile.Read(ref _subscriptions), Interlocked.Read(ref _reads));
            }
        }

        private void Publish(IReadOnlyList<LogEntry> entries)
        {
            // One row per entry for every page: its texts are made once, however many pages show it.
            RunLogEntry[] page = [.. entries.Select(entry => new RunLogEntry(runId, entry))];
            lock (_watchers)
            {
                _entries.AddRange(page);
                if (_entries.Count > MaxEntriesKept)
                {
                    _entries.RemoveRange(0, _entries.Count - MaxEntriesKept);
                }

                foreach (var watcher in _watchers)
                {
                    watcher.Deliver(page);
                }
            }
        }

        private void Publish(RunCheckpoint run)
        {
            lock (_watchers)
            {
                _run = run;
                foreach (var watcher in _watchers)
                {
                    watcher.Deliver(run);
                }
            }
        }

        private async Task FollowAsync(CancellationToken stopped)
        {
            var cursor = StreamIds.Beginning;
            while (!stopped.IsCancellationRequested)
            {
                try
                {
                    cursor = await FollowFromAsync(cursor, stopped);
                }
                catch (Exception) when (stopped.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
                {
                    // Valkey away: the pages keep what they show, and the feed tries again.
                    LogFeedFault(feeds._logger, ex, runId);
                    try
                    {
                        await Task.Delay(RetryDelay, stopped);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }

        // Reads from the cursor on, then once per wake-up, until stopped; returns the cursor it reached.
        private async Task<string> FollowFromAsync(string cursor, CancellationToken stopped)
        {
            var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
            await using var subscription = await feeds._signals.OnLogAppendedAsync(runId, () => wake.Writer.TryWrite(true));
            Interlocked.Increment(ref _subscriptions);
            // A wake-up may be lost while the connection is down: read once more when it is back.
            EventHandler<ConnectionFailedEventArgs> restored = (_, _) => wake.Writer.TryWrite(true);
            feeds._connection.ConnectionRestored += restored;
            try
            {
                // Also after a restart (Valkey was away): what changed meanwhile is read once the feed has caught up.
                var runMayHaveChanged = true;
                while (!stopped.IsCancellationRequested)
                {
                    var page = await feeds._reader.ReadLogAsync(runId, cursor, RunReader.MaxLogPageSize);
                    Interlocked.Increment(ref _reads);
                    if (page.Entries.Count > 0)
                    {
                        Publish(page.Entries);
                        cursor = page.Next;
                        runMayHaveChanged = true;
                    }

                    if (page.Entries.Count < RunReader.MaxLogPageSize)
                    {
                        // Caught up: the entries are out; an entry may come with a changed checkpoint (a commit, a
                        // status, usage), read once here for every page, after the rows so they are not held back.
                        if (runMayHaveChanged && await feeds._reader.GetAsync(runId) is { } run)
                        {
                            Publish(run);
                        }

                        runMayHaveChanged = false;
                        await wake.Reader.ReadAsync(stopped);
                    }
                }

                return cursor;
            }
            finally
            {
                feeds._connection.ConnectionRestored -= restored;
                Interlocked.Decrement(ref _subscriptions);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live log of run {RunId} could not be read; trying again")]
    private static partial void LogFeedFault(ILogger logger, Exception exception, string runId);
}
