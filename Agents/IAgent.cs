using System.Text.Json;

namespace AgentAspire.Agents;

/// <summary>
/// An agent: a named, ordered list of steps that the worker runs one at a time, checkpointing each result.
/// Derive from <see cref="Agent{TInput}"/> rather than implementing this directly.
/// </summary>
public interface IAgent
{
    /// <summary>The agent's name, lowercase <c>[a-z0-9-]</c>, for example <c>research</c>.</summary>
    string Name { get; }

    /// <summary>One sentence that tells a person what the agent does.</summary>
    string Description { get; }

    /// <summary>What kind of agent this is, listed by <c>GET /agents</c>; <see cref="AgentKinds.Steps"/> unless another library says otherwise.</summary>
    string Kind => AgentKinds.Steps;

    /// <summary>The steps in the order they run; a step's number is its 1-based position in this list.</summary>
    IReadOnlyList<IAgentStep> Steps { get; }

    /// <summary>
    /// Reads and checks a run's input. The API calls it before anything is stored; the worker calls it once per run
    /// and hands the value to every step as <see cref="StepContext.TypedInput"/>.
    /// </summary>
    /// <param name="input">The input a client sent.</param>
    /// <returns>The input in the agent's own type.</returns>
    /// <exception cref="AgentInputException">The input is not acceptable; the message is meant for the client.</exception>
    object ReadInput(JsonElement input);
}
