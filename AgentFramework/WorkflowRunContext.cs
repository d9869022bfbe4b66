using System.Text.Json;
using AgentAspire.Agents;
using Microsoft.Extensions.AI;

namespace AgentAspire.AgentFramework;

/// <summary>What a workflow agent gets to build its workflow for one claim of a run.</summary>
/// <param name="RunId">The run; also the workflow's session id.</param>
/// <param name="AgentName">The agent's name.</param>
/// <param name="Attempt">How many times the run was claimed, starting at 1.</param>
/// <param name="Input">The run's input, already accepted by <see cref="IAgent.ReadInput"/>.</param>
/// <param name="Tools">Calls tools through the shared tool cache (stampede protection included).</param>
/// <param name="Chat">The chat model; cached when the worker is configured so.</param>
public sealed record WorkflowRunContext(string RunId, string AgentName, int Attempt, JsonElement Input, IToolRunner Tools, IChatClient Chat);
