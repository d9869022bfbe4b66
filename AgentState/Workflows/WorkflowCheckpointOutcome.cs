namespace AgentAspire.AgentState.Workflows;

/// <summary>How saving a workflow checkpoint went.</summary>
public enum WorkflowCheckpointOutcome
{
    /// <summary>Saved on its own, outside a run.</summary>
    Saved,

    /// <summary>Saved under the run's lease and committed as the run's next step.</summary>
    Committed,

    /// <summary>Refused: another worker holds the run now (lease or fence changed). Nothing was written.</summary>
    Fenced,

    /// <summary>Refused: the run was cancelled, completed, failed or deleted. Nothing was written.</summary>
    Stopped,

    /// <summary>Refused: a checkpoint with this id exists already. Nothing was written.</summary>
    Exists,
}
