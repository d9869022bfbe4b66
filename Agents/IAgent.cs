using System.Text.Json;

namespace AgentAspire.Agents;

/// <summary>
/// An agent: a named, ordered list of steps that the worker runs one at a time, checkpointing each result.
/// </summary>
public interface IAgent
{
    /// <summary>The agent's name, lowercase <c>[a-z0-9-]</c>, for example <c>research</c>.</summary>
    string Name { get; }

    /// <summary>One sentence that tells a person what the agent does.</summary>
    string Description { get; }

    /// <summary>The steps in the order they run; a step's number is its 1-based position in this list.</summary>
    IReadOnlyList<IAgentStep> Steps { get; }

    /// <summary>Checks a run's input before anything is stored.</summary>
    /// <param name="input">The input a client sent.</param>
    /// <exception cref="AgentInputException">The input is not acceptable; the message is meant for the client.</exception>
    void ValidateInput(JsonElement input);
}
