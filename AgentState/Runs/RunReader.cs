using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// What a watcher of runs may do: list runs, load a checkpoint, read and follow a log. It offers no way to create,
/// change or delete a run, so a process that holds only this one (the viewer) changes runs through the api.
/// </summary>
/// <remarks>A listing still drops index entries of runs that expired, as every listing does.</remarks>
public sealed class RunReader(RunStore store, ActivityLog log)
{
    /// <summary>The largest log page.</summary>
    public const int MaxLogPageSize = ActivityLog.MaxPageSize;

    /// <summary>Lists runs newest update first, optionally by status and agent, a page at a time.</summary>
    /// <exception cref="ArgumentException">The limit, status or cursor is not acceptable.</exception>
    public Task<RunPage> ListAsync(RunQuery query) => store.ListAsync(query);

    /// <summary>Loads a run's checkpoint with every step result; <see langword="null"/> when it does not exist.</summary>
    public Task<RunCheckpoint?> GetAsync(string runId) => store.GetAsync(runId);

    /// <summary>Reads up to <paramref name="count"/> log entries after <paramref name="after"/> (exclusive), in order.</summary>
    /// <exception cref="ArgumentException">The run id or cursor is malformed, or the count is outside 1–1000.</exception>
    public Task<LogPage> ReadLogAsync(string runId, string? after = null, int count = 100) => log.ReadAsync(runId, after, count);

    /// <summary>Yields the log entries after <paramref name="after"/> and then every new one as it is appended, until cancelled.</summary>
    public IAsyncEnumerable<LogEntry> TailLogAsync(string runId, string? after = null, CancellationToken cancellationToken = default) =>
        log.TailAsync(runId, after, cancellationToken);
}
