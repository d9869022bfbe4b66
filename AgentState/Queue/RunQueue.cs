using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Queue;

/// <summary>
/// The work queue: <see cref="AgentStateOptions.QueueShards"/> streams <c>agent:runs:{qN}</c>, each read by the
/// consumer group <c>workers</c> and each on its own cluster slot; a run always goes to the shard of its id. It never
/// sends a blocking command (the connection is shared): idle workers wait for <see cref="OnRunQueuedAsync"/> and poll
/// one shard at a time. An entry is deleted when it is acknowledged, so the streams hold only work that is not done.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the Valkey streams that runs wait in.")]
public sealed class RunQueue
{
    private const string RunIdField = "run_id";
    private const string TraceParentField = "traceparent";

    private readonly IConnectionMultiplexer _connection;
    private readonly AgentSignals _signals;
    private readonly QueueAcknowledgements _acknowledgements;
    private readonly AgentStateOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly int _shards;
    private readonly bool[] _groupExists;
    private readonly ShardTurns _turns;
    private int _takeoverTurn;
    private int _listeners;

    internal RunQueue(IConnectionMultiplexer connection, AgentSignals signals, QueueAcknowledgements acknowledgements, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
    {
        _connection = connection;
        _signals = signals;
        _acknowledgements = acknowledgements;
        _options = options.Value;
        _timeProvider = timeProvider;
        _shards = _options.QueueShards;
        _groupExists = new bool[_shards];
        _turns = new ShardTurns(_shards);
    }

    private IDatabase Database => _connection.GetDatabase();

    /// <summary>The shard a run is queued on.</summary>
    public int ShardOf(string runId) => AgentKeys.ShardOf(runId, _shards);

    /// <summary>Creates every shard's stream and consumer group if they do not exist yet; safe to call from every process.</summary>
    public Task EnsureGroupAsync() => Task.WhenAll(Enumerable.Range(0, _shards).Select(EnsureGroupAsync));

    /// <summary>Queues a run on its shard and wakes idle workers (sharded pub/sub on the shard's slot); returns the entry id.</summary>
    public async Task<string> EnqueueAsync(string runId, string? traceParent)
    {
        RunIds.ThrowIfInvalid(runId);
        var shard = ShardOf(runId);
        await EnsureGroupAsync(shard).ConfigureAwait(false);
        var database = Database;
        var added = database.StreamAddAsync(AgentKeys.RunQueue(shard), [new(RunIdField, runId), new(TraceParentField, traceParent ?? "")]);
        var published = _signals.PublishRunQueuedAsync(shard, runId);
        await Task.WhenAll(added, published).ConfigureAwait(false);
        // A reader in this same process need not wait for the wake-up to come back; one that listens counts the
        // wake-up itself, and counting both would send it to an empty shard later.
        if (Volatile.Read(ref _listeners) == 0)
        {
            _turns.Announce(shard);
        }

        return added.Result.ToString();
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with the run id whenever a run is queued on any shard, and notes the shard so
    /// the next <see cref="ReadAsync"/> reads it.
    /// </summary>
    public async Task<IAsyncDisposable> OnRunQueuedAsync(Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = await _signals.OnRunQueuedAsync(runId =>
        {
            if (RunIds.IsValid(runId))
            {
                _turns.Announce(ShardOf(runId));
            }

            handler(runId);
        }).ConfigureAwait(false);
        Interlocked.Increment(ref _listeners);
        return new Listening(subscription, () => Interlocked.Decrement(ref _listeners));
    }

    /// <summary>
    /// Takes up to <paramref name="count"/> new entries for <paramref name="consumer"/>; never blocks. Reads the shards
    /// a wake-up named first, then those whose last read found unannounced work and filled its batch, plus the next
    /// shard in turn if there is room, in one round trip (a second one only when more shards are known to hold work
    /// than <paramref name="count"/> allowed to read at once).
    /// </summary>
    public async Task<IReadOnlyList<QueueEntry>> ReadAsync(string consumer, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var taken = new List<QueueEntry>();
        var read = new HashSet<int>();
        var shards = _turns.Take(count);
        // Another round trip only when ready shards were left out and the batch is not full yet.
        while (shards.Count > 0)
        {
            await Task.WhenAll(shards.Select(turn => EnsureGroupAsync(turn.Shard))).ConfigureAwait(false);
            var wanted = count - taken.Count;
            var database = Database;
            var batches = await Task.WhenAll(shards.Select((turn, i) =>
                ReadShardAsync(database, turn, consumer, wanted / shards.Count + (i < wanted % shards.Count ? 1 : 0)))).ConfigureAwait(false);
            taken.AddRange(batches.SelectMany(batch => batch));
            read.UnionWith(shards.Select(turn => turn.Shard));
            shards = taken.Count < count ? _turns.TakeReady(count - taken.Count, read) : [];
        }

        return taken;
    }

    /// <summary>
    /// Takes over entries that no worker touched for longer than a lease (their worker died), with their delivery
    /// counts, from one shard after another. A live worker keeps its entries fresh with <see cref="KeepAliveAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<QueueEntry>> ClaimAbandonedAsync(string consumer, int count)
    {
        await EnsureGroupAsync().ConfigureAwait(false);
        var minIdle = (long)_options.LeaseDuration.TotalMilliseconds;
        var database = Database;
        var taken = new List<QueueEntry>();
        // Start at a different shard each time, so a long backlog on one shard does not starve the others.
        var start = (int)((uint)Interlocked.Increment(ref _takeoverTurn) % (uint)_shards);
        for (var i = 0; i < _shards && taken.Count < count; i++)
        {
            var shard = (start + i) % _shards;
            var stream = AgentKeys.RunQueue(shard);
            var claimed = await database.StreamAutoClaimAsync(stream, AgentKeys.WorkerGroup, consumer, minIdle, "0-0", count - taken.Count).ConfigureAwait(false);
            if (claimed.DeletedIds.Length > 0)
            {
                await database.StreamAcknowledgeAsync(stream, AgentKeys.WorkerGroup, claimed.DeletedIds).ConfigureAwait(false);
            }

            var counts = claimed.ClaimedEntries
                .Select(entry => database.StreamPendingMessagesAsync(stream, AgentKeys.WorkerGroup, 1, consumer, entry.Id, entry.Id))
                .ToList();
            await Task.WhenAll(counts).ConfigureAwait(false);
            taken.AddRange(claimed.ClaimedEntries.Select((entry, j) => ToQueueEntry(entry, counts[j].Result.FirstOrDefault().DeliveryCount, shard)));
        }

        return taken;
    }

    /// <summary>Resets the idle time of an entry a live worker still works on, so nobody takes it over.</summary>
    public Task KeepAliveAsync(string consumer, QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Database.StreamClaimIdsOnlyAsync(AgentKeys.RunQueue(entry.Shard), AgentKeys.WorkerGroup, consumer, 0, [entry.EntryId]);
    }

    /// <summary>
    /// Acknowledges and deletes an entry whose run ended, waits or was handed on: XACK and XDEL, sent together (and
    /// with those of other entries ending meanwhile) in one round trip.
    /// </summary>
    public Task AcknowledgeAsync(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _acknowledgements.AcknowledgeAsync(entry);
    }

    /// <summary>Moves an entry that exhausted its deliveries to <c>agent:runs:dead</c> with the reason.</summary>
    public async Task DeadLetterAsync(QueueEntry entry, string reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var database = Database;
        var added = database.StreamAddAsync(
            AgentKeys.DeadLetters,
            [
                new(RunIdField, entry.RunId),
                new("entry_id", entry.EntryId),
                new("shard", entry.Shard),
                new("deliveries", entry.Deliveries),
                new("reason", reason),
                new("ts", UnixTime.Format(_timeProvider.GetUtcNow())),
            ],
            maxLength: _options.DeadLetterMaxLength,
            useApproximateMaxLength: true);
        await Task.WhenAll(added, AcknowledgeAsync(entry)).ConfigureAwait(false);
    }

    /// <summary>Reads how much work waits, summed over the shards, for metrics and the dashboard.</summary>
    public async Task<QueueStatistics> GetStatisticsAsync()
    {
        await EnsureGroupAsync().ConfigureAwait(false);
        var database = Database;
        var depths = Enumerable.Range(0, _shards).Select(shard => database.StreamLengthAsync(AgentKeys.RunQueue(shard))).ToList();
        var pending = Enumerable.Range(0, _shards).Select(shard => database.StreamPendingAsync(AgentKeys.RunQueue(shard), AgentKeys.WorkerGroup)).ToList();
        var dead = database.StreamLengthAsync(AgentKeys.DeadLetters);
        await Task.WhenAll(Task.WhenAll(depths), Task.WhenAll(pending), dead).ConfigureAwait(false);
        return new QueueStatistics(depths.Sum(depth => depth.Result), pending.Sum(info => info.Result.PendingMessageCount), dead.Result);
    }

    private async Task<IEnumerable<QueueEntry>> ReadShardAsync(IDatabaseAsync database, ShardTurn turn, string consumer, int count)
    {
        var shard = turn.Shard;
        try
        {
            var entries = await database.StreamReadGroupAsync(AgentKeys.RunQueue(shard), AgentKeys.WorkerGroup, consumer, StreamPosition.NewMessages, count).ConfigureAwait(false);
            // A full batch may have left work there: the announced entries it did not take, or more nobody announced.
            _turns.Finish(turn, count, entries.Length);
            return entries.Select(entry => ToQueueEntry(entry, deliveries: 1, shard));
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // The stream was deleted (a flushed server): create it again next time.
            Volatile.Write(ref _groupExists[shard], false);
            return [];
        }
        catch
        {
            // Valkey did not answer: the wake-ups this read was for still count.
            _turns.GiveBack(turn);
            throw;
        }
    }

    private async Task EnsureGroupAsync(int shard)
    {
        if (Volatile.Read(ref _groupExists[shard]))
        {
            return;
        }

        try
        {
            // Position 0: entries queued before the group existed are delivered too.
            await Database.StreamCreateConsumerGroupAsync(AgentKeys.RunQueue(shard), AgentKeys.WorkerGroup, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another process created it first.
        }

        Volatile.Write(ref _groupExists[shard], true);
    }

    private static QueueEntry ToQueueEntry(StreamEntry entry, int deliveries, int shard)
    {
        var traceParent = (string?)entry[TraceParentField];
        return new QueueEntry(entry.Id!, (string?)entry[RunIdField] ?? "", string.IsNullOrEmpty(traceParent) ? null : traceParent, deliveries, shard);
    }

    private sealed class Listening(IAsyncDisposable subscription, Action stopped) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                stopped();
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
