namespace AgentAspire.AgentFramework;

/// <summary>How a claim of a workflow run ended.</summary>
public enum WorkflowRunOutcome
{
    /// <summary>The workflow finished; its output is the run's last step and the run is complete.</summary>
    Completed,

    /// <summary>The workflow asked a person; the run waits for the approve action.</summary>
    Waiting,

    /// <summary>A write was refused (another worker holds the run, or it was cancelled or deleted); nothing more was written.</summary>
    Refused,
}
