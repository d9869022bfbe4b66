namespace AgentAspire.AgentFramework;

/// <summary>The kind of an Agent Framework workflow agent: <c>GET /agents</c> lists it, and the worker runs it with <see cref="WorkflowRunner"/>.</summary>
public static class WorkflowKind
{
    /// <summary>An Agent Framework workflow.</summary>
    public const string Name = "workflow";
}
