namespace AgentAspire.LogViewer.Components.Runs;

/// <summary>What a person decided in the approval panel.</summary>
public sealed record ApprovalDecisionInput(bool Approved, string? Comment);
