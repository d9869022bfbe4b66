using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker;

/// <summary>
/// Keeps the shared structures tidy and measured, apart from the run loop: reads the queue statistics for the
/// gauges and trims listing-index entries of expired runs. Each pass is one <c>agent.housekeeping</c> span; a pass
/// that meets a Valkey fault is skipped and the next one tries again.
/// </summary>
public sealed partial class Housekeeping(
    RunQueue queue,
    RunStore store,
    AgentCatalog catalog,
    IOptions<AgentStateOptions> stateOptions,
    TimeProvider timeProvider,
    ILogger<Housekeeping> logger) : BackgroundService
{
    /// <summary>The name of the span of one housekeeping pass.</summary>
    public const string SpanName = "agent.housekeeping";

    private static readonly TimeSpan IndexTrimInterval = TimeSpan.FromMinutes(5);
    private QueueStatistics _statistics = new(0, 0, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        AgentTelemetry.Meter.CreateObservableGauge("agent.queue.depth", () => _statistics.Depth, "{run}", "Runs in the queue, queued or in progress.");
        AgentTelemetry.Meter.CreateObservableGauge("agent.queue.pending", () => _statistics.Pending, "{run}", "Runs delivered to a worker and not yet acknowledged.");

        var statisticsInterval = stateOptions.Value.LeaseDuration / 2;
        var nextTrim = timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var activity = AgentTelemetry.ActivitySource.StartActivity(SpanName))
            {
                try
                {
                    _statistics = await queue.GetStatisticsAsync().ConfigureAwait(false);
                    if (timeProvider.GetUtcNow() >= nextTrim)
                    {
                        var trimmed = await store.TrimIndexesAsync(catalog.All.Select(agent => agent.Name)).ConfigureAwait(false);
                        activity?.SetTag("agent.index_entries_trimmed", trimmed);
                        LogIndexesTrimmed(logger, trimmed);
                        nextTrim = timeProvider.GetUtcNow() + IndexTrimInterval;
                    }
                }
                catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
                {
                    activity?.AddException(ex);
                    LogSkipped(logger, ex.Message);
                }
            }

            try
            {
                await Task.Delay(statisticsInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} index entries of expired runs.")]
    private static partial void LogIndexesTrimmed(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping pass skipped: Valkey does not answer ({Reason}).")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
