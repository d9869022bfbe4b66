namespace AgentAspire.AgentState.Workflows;

/// <summary>One checkpoint in a session's index.</summary>
/// <param name="CheckpointId">The checkpoint's id.</param>
/// <param name="ParentId">The checkpoint it was taken after, if any.</param>
public sealed record WorkflowCheckpointEntry(string CheckpointId, string? ParentId);
