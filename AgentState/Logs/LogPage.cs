namespace AgentAspire.AgentState.Logs;

/// <summary>A page of a run's log.</summary>
/// <param name="Entries">Entries in order.</param>
/// <param name="Next">The id to read after for the next page (the last id returned, or the one asked for when none were).</param>
public sealed record LogPage(IReadOnlyList<LogEntry> Entries, string Next);
