using AgentAspire.Agents;
using AgentAspire.Agents.Running;

namespace AgentAspire.AgentWorker;

/// <summary>
/// The runner of each kind of agent, checked against the catalog when the worker starts: every registered agent's
/// kind has exactly one runner, so no run is claimed that this worker cannot run.
/// </summary>
public sealed class AgentRunners
{
    private readonly Dictionary<string, IAgentRunner> _byKind = new(StringComparer.Ordinal);

    /// <summary>Indexes the runners by kind.</summary>
    /// <param name="runners">Every registered runner.</param>
    /// <param name="catalog">The agents this worker runs.</param>
    /// <exception cref="InvalidOperationException">Two runners claim one kind, or an agent's kind has no runner; the message names them.</exception>
    public AgentRunners(IEnumerable<IAgentRunner> runners, AgentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(runners);
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var runner in runners)
        {
            if (!_byKind.TryAdd(runner.Kind, runner))
            {
                throw new InvalidOperationException(
                    $"Two runners run agents of kind '{runner.Kind}': {_byKind[runner.Kind].GetType().Name} and {runner.GetType().Name}.");
            }
        }

        var unrunnable = catalog.All.FirstOrDefault(agent => !_byKind.ContainsKey(agent.Kind));
        if (unrunnable is not null)
        {
            throw new InvalidOperationException(
                $"Agent '{unrunnable.Name}' is of kind '{unrunnable.Kind}', which no runner in this worker runs (kinds with a runner: {string.Join(", ", _byKind.Keys.Order(StringComparer.Ordinal))}); register the kind's runner with its agents, as AddWorkflowAgent does.");
        }
    }

    /// <summary>The runner of <paramref name="agent"/>'s kind; every agent of the catalog has one, checked when the worker starts.</summary>
    /// <param name="agent">An agent of the catalog.</param>
    /// <returns>The runner of its kind.</returns>
    public IAgentRunner For(IAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return _byKind[agent.Kind];
    }
}
