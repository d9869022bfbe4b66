using System.Text.Json;
using AgentAspire.AgentState.Journal;

namespace AgentAspire.Agents;

/// <summary>
/// An agent of any kind: a name, the steps a run of it shows, and the rules its input follows. The worker runs it
/// with the <see cref="Running.IAgentRunner"/> of its <see cref="Kind"/>. Derive from <see cref="Agent{TInput}"/> for an
/// agent written as steps; another kind of agent derives from <see cref="TypedAgent{TInput}"/>.
/// </summary>
public interface IAgent
{
    /// <summary>The agent's name, lowercase <c>[a-z0-9-]</c>, for example <c>research</c>.</summary>
    string Name { get; }

    /// <summary>One sentence that tells a person what the agent does.</summary>
    string Description { get; }

    /// <summary>What kind of agent this is, for example <see cref="AgentKinds.Steps"/>: it chooses the runner, and <c>GET /agents</c> lists it.</summary>
    string Kind { get; }

    /// <summary>
    /// The names of the steps a run of this agent commits, in order, as <c>GET /agents</c> lists them: unique, and none
    /// of them an action of the activity log (checked when the app starts).
    /// </summary>
    IReadOnlyList<string> StepNames { get; }

    /// <summary>An input that shows a person what the agent takes, offered by the LogViewer's start page; <see langword="null"/> for none.</summary>
    JsonElement? ExampleInput { get; }

    /// <summary>
    /// The budget of the agent's runs unless a run is started with its own: tokens, cost or both, after which the run
    /// waits for a person. Null (the default) for no limit.
    /// </summary>
    RunBudget? DefaultBudget => null;

    /// <summary>
    /// Reads and checks a run's input. The API calls it before anything is stored; the worker calls it once per claim
    /// and hands the value to the runner as <see cref="Running.AgentRun.TypedInput"/>.
    /// </summary>
    /// <param name="input">The input a client sent.</param>
    /// <returns>The input in the agent's own type.</returns>
    /// <exception cref="AgentInputException">The input is not acceptable; the message is meant for the client.</exception>
    object ReadInput(JsonElement input);
}
