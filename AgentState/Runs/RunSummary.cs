namespace AgentAspire.AgentState.Runs;

/// <summary>One run in a listing.</summary>
public sealed record RunSummary(string RunId, string Agent, string Status, int CurrentStep, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, string? Error);
