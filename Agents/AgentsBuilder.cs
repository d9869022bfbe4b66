using AgentAspire.Agents.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentAspire.Agents;

/// <summary>
/// Adds agents of every kind, their runners and tools; returned by <see cref="AgentsServiceCollectionExtensions.AddAgents"/>.
/// Step agents are added with <see cref="AddAgent{TAgent}()"/>; another kind's library adds its agents with an extension
/// method on this builder (<c>AddWorkflowAgent&lt;T&gt;()</c>, for example) that calls <see cref="AddAgent{TAgent}()"/> and
/// <see cref="AddRunner{TRunner}"/>, so the app registers every agent in one chain and the worker needs no change.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddAgents()
///     .AddAgent&lt;MyAgent&gt;()
///     .AddTool&lt;MyTool&gt;();
/// </code>
/// </example>
public sealed class AgentsBuilder
{
    internal AgentsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the agents and tools go into.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds an agent, created once by dependency injection (its constructor may take tools and other services).</summary>
    /// <typeparam name="TAgent">The agent: an <see cref="Agent{TInput}"/>, or an agent of a kind whose runner is added too.</typeparam>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAgents().AddAgent&lt;MyAgent&gt;();
    /// </code>
    /// </example>
    public AgentsBuilder AddAgent<TAgent>()
        where TAgent : class, IAgent
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, TAgent>());
        return this;
    }

    /// <summary>Adds an agent made by a factory, for agents that are built rather than constructed.</summary>
    /// <typeparam name="TAgent">The agent's type; one registration per type.</typeparam>
    /// <param name="factory">Creates the agent, once.</param>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAgents().AddAgent(services => new MyAgent(services.GetRequiredService&lt;TimeProvider&gt;()));
    /// </code>
    /// </example>
    public AgentsBuilder AddAgent<TAgent>(Func<IServiceProvider, TAgent> factory)
        where TAgent : class, IAgent
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, TAgent>(factory));
        return this;
    }

    /// <summary>
    /// Adds the runner of a kind of agent, created once by dependency injection; the worker runs every agent whose
    /// <see cref="IAgent.Kind"/> is the runner's <see cref="IAgentRunner.Kind"/> with it. Adding the same runner again does nothing.
    /// </summary>
    /// <typeparam name="TRunner">The runner.</typeparam>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAgents().AddAgent&lt;MyKindAgent&gt;().AddRunner&lt;MyKindRunner&gt;();
    /// </code>
    /// </example>
    public AgentsBuilder AddRunner<TRunner>()
        where TRunner : class, IAgentRunner
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentRunner, TRunner>());
        return this;
    }

    /// <summary>
    /// Adds a tool, created once by dependency injection; agents take it in their constructor as
    /// <typeparamref name="TTool"/> and call it with <see cref="AgentTool{TArgs, TResult}.CallAsync"/>.
    /// </summary>
    /// <typeparam name="TTool">The tool, usually an <see cref="AgentTool{TArgs, TResult}"/>.</typeparam>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAgents().AddTool&lt;MyTool&gt;();
    /// </code>
    /// </example>
    public AgentsBuilder AddTool<TTool>()
        where TTool : class, IAgentTool
    {
        Services.TryAddSingleton<TTool>();
        // The same instance under its own type (for agents) and as IAgentTool (for listings).
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentTool, TTool>(provider => provider.GetRequiredService<TTool>()));
        return this;
    }
}
