using System.Collections.Concurrent;
using System.Threading.Channels;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Queue;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker;

/// <summary>
/// Takes runs from the queue and executes up to <see cref="WorkerOptions.MaxConcurrentRuns"/> at once over the
/// one shared connection. Wakes on pub/sub when a run is queued and polls slowly otherwise; takes over the runs of
/// dead workers. Rides out a Valkey outage of any length: the loop waits and tries again. On shutdown every run in
/// hand goes back to the queue.
/// </summary>
public sealed partial class RunWorker(
    RunQueue queue,
    AgentSignals signals,
    RunExecutor executor,
    IOptions<WorkerOptions> workerOptions,
    IOptions<AgentStateOptions> stateOptions,
    TimeProvider timeProvider,
    ILogger<RunWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = workerOptions.Value;
        using var slots = new SemaphoreSlim(settings.MaxConcurrentRuns);
        var inFlight = new ConcurrentDictionary<Task, bool>();
        AgentTelemetry.Meter.CreateObservableGauge("agent.runs.in_flight", () => _running.Count, "{run}", "Runs this worker executes now.");

        // Subscribed once; the client subscribes again by itself after a reconnect.
        await using var queued = await UntilValkeyAnswersAsync(() => queue.OnRunQueuedAsync(_ => _wake.Writer.TryWrite(true)), settings.PollInterval, stoppingToken).ConfigureAwait(false);
        await using var cancelled = await UntilValkeyAnswersAsync(() => signals.OnRunCancelledAsync(runId =>
        {
            if (_running.TryGetValue(runId, out var run))
            {
                run.Cancel();
            }
        }), settings.PollInterval, stoppingToken).ConfigureAwait(false);
        LogStarted(logger, settings.Name, settings.MaxConcurrentRuns);

        var nextTakeover = timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var free = slots.CurrentCount;
                var entries = new List<QueueEntry>();
                if (free > 0)
                {
                    entries.AddRange(await queue.ReadAsync(settings.Name, free).ConfigureAwait(false));
                }

                if (free > entries.Count && timeProvider.GetUtcNow() >= nextTakeover)
                {
                    entries.AddRange(await TakeOverAbandonedAsync(free - entries.Count).ConfigureAwait(false));
                    nextTakeover = timeProvider.GetUtcNow() + stateOptions.Value.LeaseDuration / 2;
                }

                foreach (var entry in entries)
                {
                    await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    var run = Start(entry, slots, stoppingToken);
                    inFlight.TryAdd(run, true);
                    _ = run.ContinueWith(done => inFlight.TryRemove(done, out _), TaskScheduler.Default);
                }

                // A full batch means more may be waiting: read again at once. Otherwise sleep until woken.
                if (entries.Count == 0 || slots.CurrentCount == 0)
                {
                    await WaitForWorkAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
            {
                LogValkeyAway(logger, ex.Message);
                await WaitForWorkAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex);
                await WaitForWorkAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }

        // Runs in hand see the stopping token, hand their runs back and release their leases.
        await Task.WhenAll(inFlight.Keys).ConfigureAwait(false);
        LogStopped(logger, settings.Name);
    }

    private Task Start(QueueEntry entry, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        var cancellation = new CancellationTokenSource();
        _running[entry.RunId] = cancellation;
        return Task.Run(async () =>
        {
            try
            {
                await executor.ExecuteAsync(entry, cancellation.Token, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogRunCrashed(logger, ex, entry.RunId);
            }
            finally
            {
                _running.TryRemove(KeyValuePair.Create(entry.RunId, cancellation));
                cancellation.Dispose();
                slots.Release();
                _wake.Writer.TryWrite(true);
            }
        }, CancellationToken.None);
    }

    // A run whose deliveries keep ending without a commit is failed by the claim that finds it so (RunLeases), under
    // the lease it takes: the number of deliveries alone says nothing here, a run that commits between them is not poison.
    private async Task<IReadOnlyList<QueueEntry>> TakeOverAbandonedAsync(int count)
    {
        var claimed = await queue.ClaimAbandonedAsync(workerOptions.Value.Name, count).ConfigureAwait(false);
        foreach (var entry in claimed)
        {
            LogTakingOver(logger, entry.RunId, entry.Deliveries);
        }

        return claimed;
    }

    private async Task WaitForWorkAsync(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(pollInterval);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<T> UntilValkeyAnswersAsync<T>(Func<Task<T>> call, TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogValkeyAway(logger, ex.Message);
                await Task.Delay(pollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} started; up to {MaxConcurrentRuns} runs at once.")]
    private static partial void LogStarted(ILogger logger, string worker, int maxConcurrentRuns);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} stopped; every run in hand went back to the queue.")]
    private static partial void LogStopped(ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Taking over run {RunId} from a dead worker (delivery {Deliveries}).")]
    private static partial void LogTakingOver(ILogger logger, string runId, int deliveries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Valkey does not answer ({Reason}); trying again after the poll interval.")]
    private static partial void LogValkeyAway(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The queue loop failed; retrying after the poll interval.")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} crashed its executor.")]
    private static partial void LogRunCrashed(ILogger logger, Exception exception, string runId);
}
