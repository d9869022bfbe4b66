namespace AgentAspire.AgentState.Runs;

/// <summary>How a create went.</summary>
public enum CreateRunOutcome
{
    /// <summary>The run was created and queued.</summary>
    Created,
    /// <summary>The same request created this run before; nothing changed.</summary>
    Existing,
    /// <summary>The run id is taken by a different request; nothing changed.</summary>
    Conflict,
}

/// <summary>The answer to a create.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Status">The run's status now.</param>
public sealed record CreateRunResult(string RunId, CreateRunOutcome Outcome, string Status);
