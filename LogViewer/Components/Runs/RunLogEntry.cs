using AgentAspire.AgentState.Logs;

namespace AgentAspire.LogViewer.Components.Runs;

/// <summary>A log entry together with the run it belongs to (the live tail mixes runs).</summary>
public sealed record RunLogEntry(string RunId, LogEntry Entry);
