namespace AgentAspire.AgentState.Journal;

/// <summary>The outcome of recording a call in a run's journal.</summary>
/// <param name="IsRecorded">False when the worker no longer holds the run: nothing was written and the call must not be used.</param>
/// <param name="RunUsage">The run's totals after a call that had usage; null for a call without.</param>
public readonly record struct RecordedCall(bool IsRecorded, ModelUsage? RunUsage);
