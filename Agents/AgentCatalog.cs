using System.Diagnostics.CodeAnalysis;

namespace AgentAspire.Agents;

/// <summary>All registered agents by name, for the worker and the API.</summary>
public sealed class AgentCatalog
{
    private readonly Dictionary<string, IAgent> _byName;

    /// <summary>Indexes the agents by name.</summary>
    /// <param name="agents">The registered agents.</param>
    /// <exception cref="InvalidOperationException">Two agents share a name, or a name is not lowercase <c>[a-z0-9-]</c>.</exception>
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
}
