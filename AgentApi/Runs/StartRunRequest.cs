using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentAspire.AgentApi.Runs;

/// <summary>The body of <c>POST /runs</c>.</summary>
/// <param name="Agent">The name of the agent to run, one of <c>GET /agents</c>.</param>
/// <param name="Input">The run's input: a JSON object the agent reads strictly, or a plain string for agents that take a question.</param>
/// <param name="Budget">The run's budget for model calls, in place of the agent's default; none for no limit.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StartRunRequest(string? Agent, JsonElement? Input, BudgetLimits? Budget = null);
