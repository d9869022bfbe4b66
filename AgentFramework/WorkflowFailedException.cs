namespace AgentAspire.AgentFramework;

/// <summary>A workflow or one of its executors failed; the run fails with this message.</summary>
public sealed class WorkflowFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The workflow's exception, if any.</param>
    public WorkflowFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
