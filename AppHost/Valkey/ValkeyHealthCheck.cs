using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Reports a Valkey server healthy once it answers PING with the password of its connection string. Keeps one
/// connection for every check once it is made, rather than a new one per check.
/// </summary>
/// <param name="connectionString">Reads the connection string; <see langword="null"/> until it is available.</param>
internal sealed class ValkeyHealthCheck(Func<string?> connectionString) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (connectionString() is not { } value)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The connection string is not available yet.");
        }

        try
        {
            var connection = await ConnectAsync(value, cancellationToken);
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception: ex);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(string value, CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(value);
                // Fail fast while the server is still starting: the check is simply run again. Once connected, the
                // client reconnects by itself if the server restarts.
                options.AbortOnConnectFail = true;
                options.ConnectRetry = 0;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }
}
