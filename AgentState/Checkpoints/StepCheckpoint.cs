namespace AgentAspire.AgentState.Checkpoints;

/// <summary>One committed step of a run.</summary>
/// <param name="Step">The 1-based step number.</param>
/// <param name="Name">The step's name.</param>
/// <param name="ResultJson">The step's result, as JSON.</param>
/// <param name="CommittedAt">When the step was committed.</param>
public sealed record StepCheckpoint(int Step, string Name, string ResultJson, DateTimeOffset? CommittedAt);
