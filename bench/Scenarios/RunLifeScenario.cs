using System.Diagnostics;
using AgentAspire.Bench.Measuring;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// Runs per second of 3-step runs at a fixed concurrency over one connection, with the server's CPU and commands
/// per run and each run's latency. Subclasses say what one run is.
/// </summary>
internal abstract class RunLifeScenario(int concurrency) : IScenario
{
    public virtual string Group => "run life: 3-step no-op runs";

    public abstract string Name { get; }

    protected int Concurrency { get; } = concurrency;

    /// <summary>Prepares the connection's state (scripts, seeds); <paramref name="expectedRuns"/> is an upper bound of runs to come.</summary>
    protected abstract Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns);

    /// <summary>Does one run; false when there was nothing left to do.</summary>
    protected abstract Task<bool> RunOneAsync(int lane);

    /// <summary>Checks that every run ended as it should (after the timed part).</summary>
    protected virtual Task VerifyAsync(ConnectionMultiplexer connection, long runs) => Task.CompletedTask;

    /// <summary>Bytes the runs leave stored, read before and after the timed part; null when the scenario keeps none.</summary>
    protected virtual Task<long?> StoredBytesAsync(ServerSnapshot snapshot) => Task.FromResult<long?>(null);

    /// <summary>Releases what the scenario made outside the server (files, stores), whether it succeeded or not.</summary>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await MeasureAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CleanUpAsync().ConfigureAwait(false);
        }
    }

    private async Task<ScenarioResult> MeasureAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        var server = BenchContext.Server(connection);
        await PrepareAsync(connection, (int)Math.Min(200_000, Math.Max(300, context.Duration.TotalSeconds * (Concurrency == 1 ? 3_000 : 8_000)))).ConfigureAwait(false);

        // Warm-up: JIT, scripts loaded, connection pools.
        for (var i = 0; i < Math.Min(50, Concurrency * 4); i++)
        {
            await RunOneAsync(0).ConfigureAwait(false);
        }

        var latencies = new Latencies();
        long completed = 0;
        var before = await ServerSnapshot.TakeAsync(server).ConfigureAwait(false);
        var storedBefore = await StoredBytesAsync(before).ConfigureAwait(false);
        var sentBefore = BenchContext.SentOperations(connection);
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(lane => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                var one = Stopwatch.GetTimestamp();
                if (!await RunOneAsync(lane).ConfigureAwait(false))
                {
                    return;
                }

                latencies.Add(Stopwatch.GetElapsedTime(one));
                Interlocked.Increment(ref completed);
            }
        }, cancellationToken))).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
        var sent = BenchContext.SentOperations(connection) - sentBefore;
        var after = await ServerSnapshot.TakeAsync(server).ConfigureAwait(false);
        var storedAfter = await StoredBytesAsync(after).ConfigureAwait(false);
        await VerifyAsync(connection, completed).ConfigureAwait(false);

        var result = new ScenarioResult(Group, Name)
            .Add("runs_per_s", completed / elapsed.TotalSeconds)
            .AddServerCost(before, after, completed, sent)
            // The client's side of the same runs: on a 2-core machine it competes with the server for the cores.
            .Add("client_cpu_us_per_run", clientCpu.TotalMicroseconds / Math.Max(1, completed))
            .Add("p50_ms", latencies.Percentile(50))
            .Add("p99_ms", latencies.Percentile(99))
            .Add("runs", completed);
        if (storedBefore is { } first && storedAfter is { } last)
        {
            result.Add("stored_bytes_per_run", (last - first) / (double)Math.Max(1, completed));
        }

        return result;
    }
}
