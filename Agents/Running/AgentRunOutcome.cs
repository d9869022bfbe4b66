namespace AgentAspire.Agents.Running;

/// <summary>How one claim of a run ended, as an <see cref="IAgentRunner"/> reports it.</summary>
public enum AgentRunOutcome
{
    /// <summary>The last step is committed and the run is complete.</summary>
    Completed,

    /// <summary>A step asked a person; the run waits for the approve action.</summary>
    Waiting,

    /// <summary>A write was refused (another worker holds the run, or it was cancelled or deleted); nothing more was written.</summary>
    Refused,

    /// <summary>A replay met a call its record could not answer and ended <c>diverged</c>.</summary>
    Diverged,
}
