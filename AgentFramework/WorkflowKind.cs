namespace AgentAspire.AgentFramework;

/// <summary>The kind <c>GET /agents</c> gives an agent.</summary>
public static class WorkflowKind
{
    /// <summary>An Agent Framework workflow.</summary>
    public const string Name = "workflow";

    /// <summary>An agent of ordered steps.</summary>
    public const string Steps = "steps";

    /// <summary>The kind of <paramref name="agent"/>.</summary>
    /// <param name="agent">Any agent.</param>
    /// <returns><see cref="Name"/> for a workflow agent, otherwise <see cref="Steps"/>.</returns>
    public static string Of(AgentAspire.Agents.IAgent agent) => agent is IWorkflowAgent workflow ? workflow.Kind : Steps;
}
