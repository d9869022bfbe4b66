namespace AgentAspire.AgentApi.Agents;

/// <summary>An agent a run can use: <c>GET /agents</c>.</summary>
/// <param name="Name">The name to pass as <c>agent</c> to <c>POST /runs</c>.</param>
/// <param name="Description">What the agent does.</param>
/// <param name="Steps">Its step names in order (for a workflow, its executors).</param>
/// <param name="Kind"><c>steps</c> for an agent of ordered steps, <c>workflow</c> for an Agent Framework workflow.</param>
public sealed record AgentInfo(string Name, string Description, IReadOnlyList<string> Steps, string Kind);
