using AgentAspire.AgentState;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Connects a service to Valkey through the StackExchange.Redis client.
/// </summary>
public static class ValkeyClientExtensions
{
    /// <summary>
    /// Registers a singleton <c>IConnectionMultiplexer</c> for the connection string <paramref name="connectionName"/>,
    /// with a health check, logging and tracing. Only commands issued inside a span of their own (a run, a request, a
    /// housekeeping pass) are traced: idle queue polling and the health check's PINGs would each start a trace of their
    /// own and bury the ones that matter. Queue depth and lag are metrics instead. The client sends no <c>SELECT</c>
    /// on a connection to database 0 (<see cref="AgentStateConnectionOptions.Apply"/>).
    /// </summary>
    /// <remarks>
    /// Outside the AppHost, point the service at any Valkey with <c>ConnectionStrings__valkey=host:port,password=...</c>.
    /// </remarks>
    /// <param name="builder">The host application builder.</param>
    /// <param name="connectionName">The name of the connection string, the name of the Valkey resource in the AppHost.</param>
    /// <returns>The same builder.</returns>
    /// <example>
    /// <code lang="csharp">
    /// var builder = WebApplication.CreateBuilder(args);
    /// builder.AddServiceDefaults();
    /// builder.AddValkeyClient();
    /// </code>
    /// </example>
    public static IHostApplicationBuilder AddValkeyClient(this IHostApplicationBuilder builder, string connectionName = "valkey")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        // Commands are traced by our own instrumentation instead of the client integration's, whose options are
        // not public: spans are made after the fact from profiled commands, so only a filter keeps the noise out.
        builder.AddRedisClient(connectionName, settings => settings.DisableTracing = true, options => AgentStateConnectionOptions.Apply(options));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
            tracing.AddRedisInstrumentation(options => options.Filter = context =>
                context.ParentActivity is not null && context.ProfiledCommand.Command != "PING"));

        return builder;
    }
}
