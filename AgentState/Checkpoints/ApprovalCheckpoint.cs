namespace AgentAspire.AgentState.Checkpoints;

/// <summary>A step's request for a person's decision and, once given, the decision.</summary>
/// <param name="Step">The step that asked.</param>
/// <param name="Prompt">What the step asked the person.</param>
/// <param name="DecisionJson">The decision as JSON (<c>{"approved":true,"comment":"…"}</c>), or <see langword="null"/> while waiting.</param>
public sealed record ApprovalCheckpoint(int Step, string? Prompt, string? DecisionJson);
