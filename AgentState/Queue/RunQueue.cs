using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Queue;

/// <summary>
/// The work queue: the stream <c>agent:runs</c> read by the consumer group <c>workers</c>. It never sends a
/// blocking command (the connection is shared): idle workers wait for <see cref="AgentSignals.OnRunQueuedAsync"/> and poll.
/// An entry is deleted when it is acknowledged, so the stream holds only work that is not done.
/// </summary>
public sealed class RunQueue(IConnectionMultiplexer connection, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
{
    private const string RunIdField = "run_id";
    private const string TraceParentField = "traceparent";
    private volatile bool _groupExists;

    private IDatabase Database => connection.GetDatabase();

    /// <summary>Creates the stream and its consumer group if they do not exist yet; safe to call from every process.</summary>
    public async Task EnsureGroupAsync()
    {
        if (_groupExists)
        {
            return;
        }

        try
        {
            // Position 0: entries queued before the group existed are delivered too.
            await Database.StreamCreateConsumerGroupAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another process created it first.
        }

        _groupExists = true;
    }

    /// <summary>Queues a run and wakes idle workers; returns the entry id.</summary>
    public async Task<string> EnqueueAsync(string runId, string? traceParent)
    {
        RunIds.ThrowIfInvalid(runId);
        await EnsureGroupAsync().ConfigureAwait(false);
        var added = Database.StreamAddAsync(AgentKeys.RunQueue, [new(RunIdField, runId), new(TraceParentField, traceParent ?? "")]);
        var published = Database.PublishAsync(RedisChannel.Literal(AgentKeys.RunQueuedChannel), runId);
        await Task.WhenAll(added, published).ConfigureAwait(false);
        return added.Result.ToString();
    }

    /// <summary>Takes up to <paramref name="count"/> new entries for <paramref name="consumer"/>; never blocks.</summary>
    public async Task<IReadOnlyList<QueueEntry>> ReadAsync(string consumer, int count)
    {
        await EnsureGroupAsync().ConfigureAwait(false);
        try
        {
            var entries = await Database.StreamReadGroupAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup, consumer, StreamPosition.NewMessages, count).ConfigureAwait(false);
            return entries.Select(entry => ToQueueEntry(entry, deliveries: 1)).ToList();
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // The stream was deleted (a flushed server): create it again next time.
            _groupExists = false;
            return [];
        }
    }

    /// <summary>
    /// Takes over entries that no worker touched for longer than a lease (their worker died), with their delivery
    /// counts. A live worker keeps its entries fresh with <see cref="KeepAliveAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<QueueEntry>> ClaimAbandonedAsync(string consumer, int count)
    {
        await EnsureGroupAsync().ConfigureAwait(false);
        var minIdle = (long)options.Value.LeaseDuration.TotalMilliseconds;
        var claimed = await Database.StreamAutoClaimAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup, consumer, minIdle, "0-0", count).ConfigureAwait(false);
        if (claimed.DeletedIds.Length > 0)
        {
            await Database.StreamAcknowledgeAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup, claimed.DeletedIds).ConfigureAwait(false);
        }

        var counts = claimed.ClaimedEntries
            .Select(entry => Database.StreamPendingMessagesAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup, 1, consumer, entry.Id, entry.Id))
            .ToList();
        await Task.WhenAll(counts).ConfigureAwait(false);
        return claimed.ClaimedEntries
            .Select((entry, i) => ToQueueEntry(entry, counts[i].Result.FirstOrDefault().DeliveryCount))
            .ToList();
    }

    /// <summary>Resets the idle time of entries a live worker still works on, so nobody takes them over.</summary>
    public Task KeepAliveAsync(string consumer, params RedisValue[] entryIds) =>
        entryIds.Length == 0
            ? Task.CompletedTask
            : Database.StreamClaimIdsOnlyAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup, consumer, 0, entryIds);

    /// <summary>Acknowledges and deletes an entry whose run ended, waits or was handed on.</summary>
    public Task AcknowledgeAsync(string entryId) => AcknowledgeAsync(Database, entryId);

    /// <summary>Moves an entry that exhausted its deliveries to <c>agent:runs:dead</c> with the reason.</summary>
    public async Task DeadLetterAsync(QueueEntry entry, string reason)
    {
        var database = Database;
        var added = database.StreamAddAsync(
            AgentKeys.DeadLetters,
            [
                new(RunIdField, entry.RunId),
                new("entry_id", entry.EntryId),
                new("deliveries", entry.Deliveries),
                new("reason", reason),
                new("ts", UnixTime.Format(timeProvider.GetUtcNow())),
            ],
            maxLength: options.Value.DeadLetterMaxLength,
            useApproximateMaxLength: true);
        await Task.WhenAll(added, AcknowledgeAsync(database, entry.EntryId)).ConfigureAwait(false);
    }

    /// <summary>Reads how much work waits, for metrics and the dashboard.</summary>
    public async Task<QueueStatistics> GetStatisticsAsync()
    {
        await EnsureGroupAsync().ConfigureAwait(false);
        var database = Database;
        var depth = database.StreamLengthAsync(AgentKeys.RunQueue);
        var pending = database.StreamPendingAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup);
        var dead = database.StreamLengthAsync(AgentKeys.DeadLetters);
        await Task.WhenAll(depth, pending, dead).ConfigureAwait(false);
        return new QueueStatistics(depth.Result, pending.Result.PendingMessageCount, dead.Result);
    }

    internal static Task AcknowledgeAsync(IDatabaseAsync database, string entryId) =>
        Task.WhenAll(
            database.StreamAcknowledgeAsync(AgentKeys.RunQueue, AgentKeys.WorkerGroup, entryId),
            database.StreamDeleteAsync(AgentKeys.RunQueue, [entryId]));

    private static QueueEntry ToQueueEntry(StreamEntry entry, int deliveries)
    {
        var traceParent = (string?)entry[TraceParentField];
        return new QueueEntry(entry.Id!, (string?)entry[RunIdField] ?? "", string.IsNullOrEmpty(traceParent) ? null : traceParent, deliveries);
    }
}
