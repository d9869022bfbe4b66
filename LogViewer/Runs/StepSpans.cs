using AgentAspire.AgentState.Logs;

namespace AgentAspire.LogViewer.Runs;

/// <summary>When a step ran, read from the activity log's timestamps.</summary>
public static class StepSpans
{
    /// <summary>
    /// A committed step runs from the last entry before its commit that is not part of its own work (the previous commit,
    /// a claim, a resume, an approval) to its commit entry, whose action is the step's name; <see langword="null"/> when the
    /// log does not hold both.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Committed(IReadOnlyList<LogEntry> log, int step, string name)
    {
        ArgumentNullException.ThrowIfNull(log);
        for (var i = log.Count - 1; i >= 0; i--)
        {
            if (log[i].Step == step && log[i].Action == name)
            {
                return log[i].Timestamp is { } end && Start(log, step, i) is { } start ? (Min(start, end), end) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The step the run is at and has not committed: from the entry before its first own entry to its last entry, or
    /// to the last entry of the log when it has none of its own yet; <see langword="null"/> when the log holds neither.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Open(IReadOnlyList<LogEntry> log, int step)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Count == 0 || log[^1].Timestamp is not { } end)
        {
            return null;
        }

        var first = -1;
        for (var i = 0; i < log.Count; i++)
        {
            if (IsOwnWork(log[i], step))
            {
                first = i;
                break;
            }
        }

        var start = first < 0 ? end : Start(log, step, first);
        return start is { } begin ? (Min(begin, end), end) : null;
    }

    /// <summary>Whether an entry is part of a step's own work: its model and tool calls, journal mismatches and retries.</summary>
    public static bool IsOwnWork(LogEntry entry, int step)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Step == step && entry.Action is LogActions.ToolCall or LogActions.ModelCall or LogActions.JournalMismatch or LogActions.StepRetry;
    }

    private static DateTimeOffset? Start(IReadOnlyList<LogEntry> log, int step, int before)
    {
        for (var i = before - 1; i >= 0; i--)
        {
            if (!IsOwnWork(log[i], step) && log[i].Timestamp is { } start)
            {
                return start;
            }
        }

        return null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
