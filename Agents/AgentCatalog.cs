using System.Diagnostics.CodeAnalysis;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.Agents;

/// <summary>All registered agents by name, for the worker and the API; every agent is checked when the catalog is built.</summary>
public sealed class AgentCatalog
{
    private readonly Dictionary<string, IAgent> _byName;

    /// <summary>Indexes the agents by name, refusing any agent that would make runs or their logs ambiguous.</summary>
    /// <param name="agents">The registered agents.</param>
    /// <exception cref="InvalidOperationException">
    /// Two agents share a name, a name is not lowercase <c>[a-z0-9-]</c>, an agent has no kind, its step names are
    /// blank, repeated or an action of the activity log, or its own example input is refused; the message names the agent.
    /// </exception>
    public AgentCatalog(IEnumerable<IAgent> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        _byName = new Dictionary<string, IAgent>(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            if (!AgentName.IsValid(agent.Name))
            {
                throw new InvalidOperationException($"Agent name '{agent.Name}' is not lowercase [a-z0-9-].");
            }

            if (!_byName.TryAdd(agent.Name, agent))
            {
                throw new InvalidOperationException($"Two agents are registered as '{agent.Name}'.");
            }

            Check(agent);
        }

        All = _byName.Values.OrderBy(agent => agent.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every agent, ordered by name.</summary>
    public IReadOnlyCollection<IAgent> All { get; }

    /// <summary>Finds an agent by its exact name.</summary>
    /// <param name="name">The agent's name.</param>
    /// <param name="agent">The agent, when found.</param>
    /// <returns>True when an agent has that name.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out IAgent? agent) =>
        _byName.TryGetValue(name, out agent);

    // A committed step is logged under its name, and a step's result is found by it: a name must say one thing.
    private static void Check(IAgent agent)
    {
        if (string.IsNullOrWhiteSpace(agent.Kind))
        {
            throw new InvalidOperationException($"Agent '{agent.Name}' has no kind; it says which runner runs it.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (step, index) in agent.StepNames.Select((step, index) => (step, index + 1)))
        {
            if (string.IsNullOrWhiteSpace(step))
            {
                throw new InvalidOperationException($"Agent '{agent.Name}': step {index} has no name.");
            }

            if (!seen.Add(step))
            {
                throw new InvalidOperationException($"Agent '{agent.Name}': two steps are named '{step}'; step names must be unique within an agent.");
            }

            if (LogActions.All.Contains(step, StringComparer.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Agent '{agent.Name}': step '{step}' has the name of an activity-log action, so its log entry would read as that action; choose another name (taken: {string.Join(", ", LogActions.All)}).");
            }
        }

        if (agent.ExampleInput is { } example)
        {
            try
            {
                agent.ReadInput(example);
            }
            catch (AgentInputException ex)
            {
                throw new InvalidOperationException($"Agent '{agent.Name}' refuses its own example input: {ex.Message}", ex);
            }
        }
    }
}
