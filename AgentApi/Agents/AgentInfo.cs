namespace AgentAspire.AgentApi.Agents;

/// <summary>An agent a run can use: <c>GET /agents</c>.</summary>
/// <param name="Name">The name to pass as <c>agent</c> to <c>POST /runs</c>.</param>
/// <param name="Kind">What kind of agent it is, for example <c>steps</c>.</param>
/// <param name="Description">What the agent does.</param>
/// <param name="Steps">Its step names in order (for a workflow, its executors).</param>
public sealed record AgentInfo(string Name, string Kind, string Description, IReadOnlyList<string> Steps);
