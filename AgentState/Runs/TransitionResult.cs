namespace AgentAspire.AgentState.Runs;

/// <summary>How a status change went.</summary>
public enum TransitionOutcome
{
    /// <summary>The status changed.</summary>
    Changed,
    /// <summary>No such run.</summary>
    Missing,
    /// <summary>The run's status does not allow the change.</summary>
    Conflict,
    /// <summary>A worker still holds the run's lease.</summary>
    Busy,
    /// <summary>The caller no longer holds the lease it claimed to hold.</summary>
    Fenced,
}

/// <summary>The answer to a status change.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="PreviousStatus">The status the run had before (when it exists).</param>
public sealed record TransitionResult(TransitionOutcome Outcome, string PreviousStatus)
{
    /// <summary>Whether the status changed.</summary>
    public bool Changed => Outcome == TransitionOutcome.Changed;
}
