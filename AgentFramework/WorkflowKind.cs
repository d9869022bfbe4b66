namespace AgentAspire.AgentFramework;

/// <summary>The kind <c>GET /agents</c> gives an Agent Framework workflow agent.</summary>
public static class WorkflowKind
{
    /// <summary>An Agent Framework workflow.</summary>
    public const string Name = "workflow";
}
