using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>
/// Loads the protocol's scripts when the host starts, without holding the start up: a Valkey that is away now gets
/// them on first use instead (a call that finds its function or script missing loads it and calls again).
/// </summary>
internal sealed partial class AgentStateScriptLoader(IConnectionMultiplexer connection, ILogger<AgentStateScriptLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(LoadAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadAsync()
    {
        try
        {
            await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
        {
            LogNotLoaded(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scripts not preloaded, Valkey is not reachable yet; they load on first use.")]
    private static partial void LogNotLoaded(ILogger logger, Exception exception);
}
