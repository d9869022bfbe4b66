using System.Diagnostics;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;
using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Scenarios;

/// <summary>Resident memory of one real AgentWorker process before and after it executed 100,000 runs of the demo agent.</summary>
internal sealed class WorkerRssScenario : IScenario
{
    public string Group => "memory";

    public string Name => "worker RSS after many runs";

    public bool EveryRound => false;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var runs = context.Smoke ? 200 : 100_000;
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await using var services = BenchContext.Services(connection);
        var db = connection.GetDatabase();
        await using var worker = AppProcess.Start(context.WorkerDll ?? throw new InvalidOperationException("--worker-dll is required."), context,
            new Dictionary<string, string> { ["Worker__Name"] = "bench-rss" });

        // Warm-up: 100 runs, then the starting size.
        await CreateAsync(services, 100).ConfigureAwait(false);
        await AppRuns.WaitForDrainedQueueAsync(db, TimeSpan.FromSeconds(60), worker.ThrowIfExited).ConfigureAwait(false);
        var startRss = worker.ResidentBytes();

        var started = Stopwatch.GetTimestamp();
        for (var created = 0; created < runs; created += 2_000)
        {
            await CreateAsync(services, Math.Min(2_000, runs - created)).ConfigureAwait(false);
            // Keep the queue short, as an API in front of it would.
            while (await ShardedKeys.QueueLengthAsync(db).ConfigureAwait(false) > 4_000)
            {
                worker.ThrowIfExited();
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        await AppRuns.WaitForDrainedQueueAsync(db, TimeSpan.FromMinutes(15), worker.ThrowIfExited).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var endRss = worker.ResidentBytes();
        await AppRuns.VerifyCompletedAsync(db, runs + 100).ConfigureAwait(false);
        return new ScenarioResult(Group, Name)
            .Add("rss_mb_after_100_runs", startRss / 1048576.0)
            .Add("rss_mb_after_all_runs", endRss / 1048576.0)
            .Add("runs", runs)
            .Add("runs_per_s", runs / elapsed.TotalSeconds);
    }

    private static Task<CreateRunResult[]> CreateAsync(AgentStateServices services, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => services.Store.CreateAsync(AppRuns.NewRun(RunIds.NewRunId()))));
}
