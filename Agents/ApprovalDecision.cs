namespace AgentAspire.Agents;

/// <summary>A person's answer to a step that asked for approval.</summary>
/// <param name="Approved">Whether the person approved.</param>
/// <param name="Comment">What the person wrote along with the decision, if anything.</param>
public sealed record ApprovalDecision(bool Approved, string? Comment);
