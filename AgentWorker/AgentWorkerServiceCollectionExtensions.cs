using AgentAspire.Agents.Chat;
using AgentAspire.Agents.Running;
using AgentAspire.AgentWorker;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the worker: the queue loop, the run executor, the runner of step agents and housekeeping.</summary>
public static class AgentWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the queue loop (<see cref="RunWorker"/>), the <see cref="RunExecutor"/>, the runner of step agents
    /// (<see cref="StepAgentRunner"/>) and <see cref="Housekeeping"/>, with <see cref="WorkerOptions"/> bound to the
    /// section <c>Worker</c> and checked when the host starts. They need the AgentState services, the agents (with the
    /// runners of their other kinds) and a chat client in the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration holding the section <c>Worker</c>.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddAgentWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidation>());
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section)).ValidateOnStart();
        services.TryAddSingleton<StepPipeline>();
        // No price table unless AddAgentChatClient read one: tokens are counted, cost stays 0.
        services.TryAddSingleton(ModelPrices.None);
        // The worker runs step agents itself; every other kind brings its runner with its agents.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentRunner, StepAgentRunner>());
        services.TryAddSingleton<AgentRunners>();
        services.TryAddSingleton<RunExecutor>();
        services.AddHostedService<RunWorker>();
        services.AddHostedService<Housekeeping>();
        // Tools of MCP servers: the configuration checked now, the servers connected as the worker starts.
        services.AddMcpToolSources(configuration);
        return services;
    }
}
