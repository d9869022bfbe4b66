using System.Text.Json;
using AgentAspire.AgentApi.Runs;

namespace AgentAspire.AgentApi.Agents;

/// <summary>An agent a run can use: <c>GET /agents</c>.</summary>
/// <param name="Name">The name to pass as <c>agent</c> to <c>POST /runs</c>.</param>
/// <param name="Kind">What kind of agent it is, for example <c>steps</c> or <c>workflow</c>.</param>
/// <param name="Description">What the agent does.</param>
/// <param name="Steps">The names of the steps a run commits, in order (for a workflow, its executors, then <c>output</c>).</param>
/// <param name="ExampleInput">An input the agent accepts, declared by the agent, to start from; null when it declares none.</param>
/// <param name="DefaultBudget">The budget of the agent's runs unless a run is started with its own; null for no limit.</param>
public sealed record AgentInfo(string Name, string Kind, string Description, IReadOnlyList<string> Steps, JsonElement? ExampleInput, BudgetLimits? DefaultBudget = null);
