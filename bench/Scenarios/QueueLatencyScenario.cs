using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Scripting;
using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// From the start of a create (the API's part) to a worker holding the claim: the consumer wakes on the pub/sub
/// signal as the real worker does, reads the queue and claims. One run at a time, so it is latency, not throughput.
/// </summary>
internal sealed class QueueLatencyScenario : IScenario
{
    public string Group => "queue";

    public string Name => "enqueue to claim";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        // Producer and consumer on connections of their own, as the API and a worker are.
        await using var apiConnection = await context.ConnectAsync().ConfigureAwait(false);
        await using var workerConnection = await context.ConnectAsync().ConfigureAwait(false);
        await using var api = BenchContext.Services(apiConnection);
        await using var worker = BenchContext.Services(workerConnection);
        await AgentStateScripts.LoadAsync(apiConnection).ConfigureAwait(false);
        await worker.Queue.EnsureGroupAsync().ConfigureAwait(false);

        var waiting = new ConcurrentDictionary<string, TaskCompletionSource>();
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        await using var subscription = await worker.Queue.OnRunQueuedAsync(_ => wake.Writer.TryWrite(true)).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var consumer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using (var poll = CancellationTokenSource.CreateLinkedTokenSource(stop.Token))
                {
                    poll.CancelAfter(TimeSpan.FromMilliseconds(200));
                    try
                    {
                        await wake.Reader.ReadAsync(poll.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                foreach (var entry in await worker.Queue.ReadAsync("bench", 10).ConfigureAwait(false))
                {
                    var claim = await worker.Leases.ClaimAsync(entry, "bench").ConfigureAwait(false);
                    if (claim.Lease is null)
                    {
                        throw new InvalidOperationException($"Run {entry.RunId} was not claimed: {claim.Outcome}.");
                    }

                    if (waiting.TryRemove(entry.RunId, out var claimed))
                    {
                        claimed.TrySetResult();
                    }
                }
            }
        }, CancellationToken.None);

        var latencies = new Latencies();
        var deadline = Stopwatch.GetTimestamp() + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested; i++)
        {
            var runId = RunIds.NewRunId();
            var claimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[runId] = claimed;
            var started = Stopwatch.GetTimestamp();
            await RunOnce.CreateAsync(api, runId).ConfigureAwait(false);
            await claimed.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (i >= 20)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started));
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await consumer.ConfigureAwait(false);
        return new ScenarioResult(Group, Name)
            .Add("p50_ms", latencies.Percentile(50))
            .Add("p99_ms", latencies.Percentile(99))
            .Add("samples", latencies.Count);
    }
}
