using System.Diagnostics;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Scripting;
using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// The fenced step commit, one at a time, against a raw HSET of the same fields on the same connection
/// (alternating, so both see the same conditions). Claims of new runs between commits are not timed.
/// </summary>
internal sealed class CommitScenario : IScenario
{
    public string Group => "floor and step commit: one call at a time";

    public string Name => "step commit vs HSET";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await using var services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        var db = connection.GetDatabase();
        var commit = new Latencies();
        var hset = new Latencies();
        long commits = 0;

        var deadline = Stopwatch.GetTimestamp() + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        for (var round = 0; Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested; round++)
        {
            var runId = RunIds.NewRunId();
            await RunOnce.CreateAsync(services, runId).ConfigureAwait(false);
            var entry = await RunOnce.ReadOneAsync(services, "bench").ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Run {runId} was not in the queue.");
            var lease = (await services.Leases.ClaimAsync(entry, "bench").ConfigureAwait(false)).Lease
                ?? throw new InvalidOperationException($"Run {runId} was not claimed.");
            // The first rounds warm up JIT and connection.
            var measuring = round >= 30;
            for (var step = 1; step <= RunOnce.Steps; step++)
            {
                var started = Stopwatch.GetTimestamp();
                await db.HashSetAsync($"bench:hset:{{{runId}}}",
                [
                    new("current_step", step), new($"result_step_{step}", RunOnce.ResultJson), new("updated_at", UnixNow()),
                ]).ConfigureAwait(false);
                var hashed = Stopwatch.GetTimestamp();
                var outcome = await lease.CommitStepAsync(step, "step" + step, RunOnce.ResultJson, RunOnce.DetailsJson, isLastStep: step == RunOnce.Steps).ConfigureAwait(false);
                var committed = Stopwatch.GetTimestamp();
                if (outcome is not (CommitOutcome.Committed or CommitOutcome.Completed))
                {
                    throw new InvalidOperationException($"Run {runId}: commit of step {step} answered {outcome}.");
                }

                if (measuring)
                {
                    hset.Add(Stopwatch.GetElapsedTime(started, hashed));
                    commit.Add(Stopwatch.GetElapsedTime(hashed, committed));
                    commits++;
                }
            }
        }

        return new ScenarioResult(Group, Name)
            .Add("commit_p50_ms", commit.Percentile(50))
            .Add("commit_p99_ms", commit.Percentile(99))
            .Add("hset_p50_ms", hset.Percentile(50))
            .Add("commit_to_hset_p50", hset.Percentile(50) > 0 ? commit.Percentile(50) / hset.Percentile(50) : 0)
            .Add("commits", commits);
    }

    private static string UnixNow() => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}
