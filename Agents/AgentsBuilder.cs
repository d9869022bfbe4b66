using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentAspire.Agents;

/// <summary>
/// Adds agents and tools to the <see cref="AgentCatalog"/>; returned by
/// <see cref="AgentsServiceCollectionExtensions.AddAgents"/>. Another library adds its own kind of agent with an
/// extension method on this builder that calls <see cref="AddAgent{TAgent}(Func{IServiceProvider, TAgent})"/>.
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
    /// <typeparam name="TAgent">The agent, usually an <see cref="Agent{TInput}"/>.</typeparam>
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
