using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.AgentState.Replays;

/// <summary>Why a replay was or was not started.</summary>
public enum ReplayStartOutcome
{
    /// <summary>The replay was created and queued.</summary>
    Created,

    /// <summary>No run has that id (never, expired or deleted).</summary>
    NotFound,

    /// <summary>The run has not ended: only an ended run has a whole record.</summary>
    NotEnded,

    /// <summary>The run exists, but the journal of its calls has expired.</summary>
    RecordExpired,
}

/// <summary>The outcome of <see cref="RunControl.ReplayAsync"/>.</summary>
/// <param name="Outcome">Whether it was started.</param>
/// <param name="Source">The run to replay, when it exists.</param>
/// <param name="Created">The replay, when it was created.</param>
public sealed record ReplayStart(ReplayStartOutcome Outcome, RunCheckpoint? Source, CreateRunResult? Created);
