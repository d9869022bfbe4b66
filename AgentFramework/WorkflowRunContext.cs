using System.Text.Json;
using AgentAspire.Agents;
using Microsoft.Extensions.AI;

namespace AgentAspire.AgentFramework;

/// <summary>What a workflow agent gets to build its workflow for one claim of a run.</summary>
/// <param name="RunId">The run; also the workflow's session id.</param>
/// <param name="AgentName">The agent's name.</param>
/// <param name="Attempt">How many times the run was claimed, starting at 1.</param>
/// <param name="Input">The run's input as stored.</param>
/// <param name="TypedInput">The run's input as <see cref="IAgent.ReadInput"/> returned it, read once per claim.</param>
/// <param name="Tools">
/// Calls tools through the shared tool cache (stampede protection included); each call is logged as a <c>tool_call</c>
/// of the superstep that made it.
/// </param>
/// <param name="Chat">The chat model; cached when the worker is configured so.</param>
public sealed record WorkflowRunContext(string RunId, string AgentName, int Attempt, JsonElement Input, object TypedInput, IToolRunner Tools, IChatClient Chat)
{
    /// <summary>The run's input in the agent's input type.</summary>
    /// <typeparam name="TInput">The agent's input type.</typeparam>
    /// <returns><see cref="TypedInput"/>.</returns>
    /// <exception cref="InvalidOperationException">The input is of another type.</exception>
    public TInput GetInput<TInput>() => TypedInput is TInput input
        ? input
        : throw new InvalidOperationException($"Run '{RunId}' of agent '{AgentName}' carries an input of type {TypedInput.GetType().Name}, not {typeof(TInput).Name}.");
}
