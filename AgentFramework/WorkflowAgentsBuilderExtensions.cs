using AgentAspire.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentAspire.AgentFramework;

/// <summary>Adds Agent Framework workflow agents to the app's agents, next to its step agents.</summary>
public static class WorkflowAgentsBuilderExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TAgent"/> as an agent (listed by <c>GET /agents</c>, started by <c>POST /runs</c>) and the
    /// <see cref="WorkflowRunner"/> that runs agents of kind <see cref="WorkflowKind.Name"/>; its settings come from the
    /// configuration section <c>Workflows</c>.
    /// </summary>
    /// <typeparam name="TAgent">The workflow agent, usually a <see cref="WorkflowAgent{TInput, TStart}"/>.</typeparam>
    /// <param name="agents">The app's agents builder.</param>
    /// <returns>The same builder.</returns>
    /// <example>
    /// <code>
    /// services.AddAgents()
    ///     .AddAgent&lt;ResearchAgent&gt;()
    ///     .AddWorkflowAgent&lt;ResearchWorkflowAgent&gt;();
    /// </code>
    /// </example>
    public static AgentsBuilder AddWorkflowAgent<TAgent>(this AgentsBuilder agents)
        where TAgent : class, IWorkflowAgent
    {
        ArgumentNullException.ThrowIfNull(agents);
        agents.Services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.Section);
        agents.Services.TryAddSingleton(TimeProvider.System);
        return agents.AddAgent<TAgent>().AddRunner<WorkflowRunner>();
    }
}
