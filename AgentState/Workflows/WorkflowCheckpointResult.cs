namespace AgentAspire.AgentState.Workflows;

/// <summary>The answer to saving a workflow checkpoint.</summary>
/// <param name="Outcome">Whether it was saved, committed as a step or refused.</param>
/// <param name="Step">The run's step it became, when <see cref="WorkflowCheckpointOutcome.Committed"/>; otherwise 0.</param>
public sealed record WorkflowCheckpointResult(WorkflowCheckpointOutcome Outcome, int Step);
