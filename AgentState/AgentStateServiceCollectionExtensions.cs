using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Scripting;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AgentState services.</summary>
public static class AgentStateServiceCollectionExtensions
{
    /// <summary>
    /// Adds the run store, its read-only view <see cref="RunReader"/>, run control, leases, queue, tool cache, activity log and signals, and loads the
    /// protocol's scripts into Valkey when the host starts. They need an
    /// <see cref="StackExchange.Redis.IConnectionMultiplexer"/> in the container (for example from <c>AddRedisClient("valkey")</c>).
    /// </summary>
    /// <example>
    /// <code>
    /// builder.AddRedisClient("valkey");
    /// builder.Services.AddAgentState(options => options.RunTtl = TimeSpan.FromHours(48));
    /// </code>
    /// </example>
    public static IServiceCollection AddAgentState(this IServiceCollection services, Action<AgentStateOptions>? configure = null)
    {
        var optionsBuilder = services.AddOptions<AgentStateOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentStateOptions>, AgentStateOptionsValidation>());
        services.TryAddSingleton(TimeProvider.System);
        // The batchers and signals of one connection: every service of the process shares them, so one command
        // carries the index writes, acknowledgements and wake-ups of every run in flight.
        services.TryAddSingleton<RunIndexWrites>();
        services.TryAddSingleton<QueueAcknowledgements>();
        services.TryAddSingleton<LogWakeups>();
        services.TryAddSingleton(provider => new AgentSignals(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<IOptions<AgentStateOptions>>(), provider.GetRequiredService<LogWakeups>()));
        services.TryAddSingleton(provider => new RunQueue(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<AgentSignals>(), provider.GetRequiredService<QueueAcknowledgements>(),
            provider.GetRequiredService<IOptions<AgentStateOptions>>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new RunStore(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<RunQueue>(), provider.GetRequiredService<AgentSignals>(),
            provider.GetRequiredService<RunIndexWrites>(), provider.GetRequiredService<IOptions<AgentStateOptions>>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RunControl>();
        services.TryAddSingleton<RunLeases>();
        services.TryAddSingleton<ToolCache>();
        services.TryAddSingleton<ActivityLog>();
        services.TryAddSingleton<RunReader>();
        services.TryAddSingleton<AgentAspire.AgentState.Replays.RunComparer>();
        services.TryAddSingleton<AgentAspire.AgentState.Replays.ReplayBatches>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AgentStateScriptLoader>());
        services.TryAddSingleton<AgentAspire.AgentState.Workflows.WorkflowCheckpoints>();
        return services;
    }

    /// <summary>
    /// Adds the AgentState services with their options bound to the configuration section <c>AgentState</c>
    /// (for example <c>AgentState__RunTtl=2.00:00:00</c> in the environment).
    /// </summary>
    /// <example>
    /// <code>
    /// builder.AddValkeyClient("valkey");
    /// builder.Services.AddAgentState(builder.Configuration);
    /// </code>
    /// </example>
    public static IServiceCollection AddAgentState(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AgentStateOptions>().Bind(configuration.GetSection(ConfigurationSection));
        return services.AddAgentState();
    }

    /// <summary>The configuration section of <see cref="AgentStateOptions"/>.</summary>
    public const string ConfigurationSection = "AgentState";

    private sealed class AgentStateOptionsValidation : IValidateOptions<AgentStateOptions>
    {
        public ValidateOptionsResult Validate(string? name, AgentStateOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentOutOfRangeException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
