using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentAspire.AgentState.Scripting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Logs;

/// <summary>
/// A run's activity log, the STREAM <c>agent:log:{RUNID}</c> with the fields <c>action</c>, <c>details</c>,
/// <c>ts</c> (plus <c>step</c>, <c>attempt</c>, <c>worker</c>). Reads page with a cursor and never drop entries;
/// the live tail waits for <see cref="AgentSignals.OnLogAppendedAsync(string, Action)"/> instead of a blocking XREAD or a poll.
/// </summary>
public sealed class ActivityLog(IConnectionMultiplexer connection, AgentSignals signals, IOptions<AgentStateOptions> options, TimeProvider timeProvider)
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Appends an entry to the log of an existing run; returns its id, or <see langword="null"/> when the run does not exist.</summary>
    public async Task<string?> AppendAsync(string runId, string action, string detailsJson, int step = 0, int attempt = 0, string worker = "")
    {
        RunIds.ThrowIfInvalid(runId);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ValueSizeLimits.ThrowIfLogDetailsTooLarge(detailsJson, options.Value);
        var reply = await AgentScripts.Append.EvaluateRunAsync(
            connection.GetDatabase(),
            signals,
            runId,
            RunScriptArguments.Keys(runId),
            RunScriptArguments.Arguments(runId, timeProvider.GetUtcNow(), options.Value, worker, [action, detailsJson, step, attempt, "", 0])).ConfigureAwait(false);
        return reply.Outcome == ScriptOutcome.Appended ? (string?)reply.Items[2] : null;
    }

    /// <summary>Reads up to <paramref name="count"/> entries after <paramref name="after"/> (exclusive), in order.</summary>
    /// <exception cref="ArgumentException">The run id or cursor is malformed, or the count is outside 1–1000.</exception>
    public async Task<LogPage> ReadAsync(string runId, string? after = null, int count = 100)
    {
        RunIds.ThrowIfInvalid(runId);
        after ??= StreamIds.Beginning;
        if (!StreamIds.IsValid(after))
        {
            throw new ArgumentException($"'{after}' is not a stream entry id such as 1710000000000-0.", nameof(after));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxPageSize);
        if (after == StreamIds.Last)
        {
            // Valkey refuses an exclusive range that starts past its last possible id.
            return new LogPage([], after);
        }

        var entries = await connection.GetDatabase().StreamRangeAsync(AgentKeys.Log(runId), "(" + after, "+", count).ConfigureAwait(false);
        var page = entries.Select(ToLogEntry).ToList();
        return new LogPage(page, page.Count > 0 ? page[^1].Id : after);
    }

    /// <summary>Reads the whole log, a page at a time.</summary>
    public async IAsyncEnumerable<LogEntry> ReadAllAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = StreamIds.Beginning;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await ReadAsync(runId, after, MaxPageSize).ConfigureAwait(false);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            if (page.Entries.Count < MaxPageSize)
            {
                yield break;
            }

            after = page.Next;
        }
    }

    /// <summary>
    /// Yields the entries after <paramref name="after"/> and then every new one as it is appended, until cancelled.
    /// Woken by pub/sub, and once more whenever the connection comes back (a signal may have been lost while it was
    /// down); while nothing is appended it sends no command at all and never blocks the shared connection.
    /// </summary>
    public async IAsyncEnumerable<LogEntry> TailAsync(string runId, string? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RunIds.ThrowIfInvalid(runId);
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        await using var subscription = await signals.OnLogAppendedAsync(runId, () => wake.Writer.TryWrite(true)).ConfigureAwait(false);
        EventHandler<ConnectionFailedEventArgs> restored = (_, _) => wake.Writer.TryWrite(true);
        connection.ConnectionRestored += restored;
        try
        {
            var cursor = after ?? StreamIds.Beginning;
            while (!cancellationToken.IsCancellationRequested)
            {
                var page = await ReadAsync(runId, cursor, MaxPageSize).ConfigureAwait(false);
                foreach (var entry in page.Entries)
                {
                    yield return entry;
                }

                cursor = page.Next;
                if (page.Entries.Count == MaxPageSize)
                {
                    continue;
                }

                if (!await WaitAsync(wake.Reader, cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }
            }
        }
        finally
        {
            connection.ConnectionRestored -= restored;
        }
    }

    private static async Task<bool> WaitAsync(ChannelReader<bool> wake, CancellationToken cancellationToken)
    {
        try
        {
            await wake.ReadAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static LogEntry ToLogEntry(StreamEntry entry) => new(
        entry.Id!,
        entry["action"].ToString(),
        entry["details"].IsNull ? "{}" : entry["details"].ToString(),
        UnixTime.Parse(entry["ts"]),
        ParseInt(entry["step"]),
        ParseInt(entry["attempt"]),
        entry["worker"].ToString());

    private static int ParseInt(RedisValue value) =>
        int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
