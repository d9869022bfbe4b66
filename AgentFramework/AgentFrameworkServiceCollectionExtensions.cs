using AgentAspire.Agents;
using AgentAspire.AgentFramework;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Agent Framework workflows as agents.</summary>
public static class AgentFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TAgent"/> as an agent (listed by <c>GET /agents</c>, started by <c>POST /runs</c>)
    /// and the <see cref="WorkflowRunner"/> that runs it; settings come from the section <c>Workflows</c> when bound.
    /// </summary>
    /// <typeparam name="TAgent">The workflow agent.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration holding the section <c>Workflows</c>, if any.</param>
    /// <returns>The same service collection.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAppAgents();
    /// builder.Services.AddWorkflowAgent&lt;ResearchWorkflowAgent&gt;(builder.Configuration);
    /// </code>
    /// </example>
    public static IServiceCollection AddWorkflowAgent<TAgent>(this IServiceCollection services, IConfiguration? configuration = null)
        where TAgent : class, IWorkflowAgent
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WorkflowOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(WorkflowOptions.Section));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, TAgent>());
        services.TryAddSingleton<WorkflowRunner>();
        return services;
    }
}
