using AgentAspire.AgentState.Workflows;

namespace AgentAspire.AgentFramework;

/// <summary>A checkpoint was refused: the run moved to another worker, ended, or the id was taken. Nothing was written.</summary>
public sealed class CheckpointRefusedException : Exception
{
    /// <summary>Creates the exception for a refused checkpoint.</summary>
    /// <param name="sessionId">The session or run.</param>
    /// <param name="outcome">Why it was refused.</param>
    public CheckpointRefusedException(string sessionId, WorkflowCheckpointOutcome outcome)
        : base($"The checkpoint of '{sessionId}' was refused ({outcome}).")
    {
        SessionId = sessionId;
        Outcome = outcome;
    }

    /// <summary>The session or run.</summary>
    public string SessionId { get; }

    /// <summary>Why it was refused.</summary>
    public WorkflowCheckpointOutcome Outcome { get; }
}
