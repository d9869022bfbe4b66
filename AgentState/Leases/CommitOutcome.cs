namespace AgentAspire.AgentState.Leases;

/// <summary>How a step commit went.</summary>
public enum CommitOutcome
{
    /// <summary>The step is committed; the run goes on.</summary>
    Committed,
    /// <summary>The step is committed and it was the last: the run is complete and its queue entry acknowledged.</summary>
    Completed,
    /// <summary>Refused: another worker took the run over (lease or fence changed). Stop without touching it.</summary>
    Fenced,
    /// <summary>Refused: the run was cancelled or deleted. Stop.</summary>
    Stopped,
    /// <summary>Refused: the step is not the next one (it was committed already).</summary>
    OutOfOrder,
}
