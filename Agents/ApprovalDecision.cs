namespace AgentAspire.Agents;

/// <summary>A person's answer to a step that asked for approval.</summary>
/// <param name="Approved">Whether the person approved.</param>
/// <param name="Comment">What the person wrote along with the decision, if anything.</param>
/// <param name="Id">Tells this decision from an earlier one on the same step, so a step that pauses twice uses each once.</param>
public sealed record ApprovalDecision(bool Approved, string? Comment, string? Id = null);
