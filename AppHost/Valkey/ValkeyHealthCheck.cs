using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Aspire.Hosting.Valkey;

/// <summary>
/// Reports a Valkey server healthy once it answers PING with the password of its connection string.
/// </summary>
/// <param name="connectionString">Reads the connection string; <see langword="null"/> until it is available.</param>
internal sealed class ValkeyHealthCheck(Func<string?> connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (connectionString() is not { } value)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The connection string is not available yet.");
        }

        var options = ConfigurationOptions.Parse(value);
        // Fail fast while the server is still starting: the check is simply run again.
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 0;

        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception: ex);
        }
    }
}
