using System.Diagnostics;
using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Scenarios;

/// <summary>The floor: PING and a plain HSET round trip, one at a time on the same client.</summary>
internal sealed class FloorScenario : IScenario
{
    public string Group => "floor and step commit: one call at a time";

    public string Name => "PING and HSET";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        var db = connection.GetDatabase();
        var ping = new Latencies();
        var hset = new Latencies();
        var deadline = Stopwatch.GetTimestamp() + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await db.PingAsync().ConfigureAwait(false);
            var pinged = Stopwatch.GetTimestamp();
            await db.HashSetAsync("bench:floor", [new("current_step", i), new("result_step_1", RunOnce.ResultJson)]).ConfigureAwait(false);
            if (i >= 100)
            {
                ping.Add(Stopwatch.GetElapsedTime(started, pinged));
                hset.Add(Stopwatch.GetElapsedTime(pinged));
            }
        }

        return new ScenarioResult(Group, Name)
            .Add("ping_p50_ms", ping.Percentile(50))
            .Add("ping_p99_ms", ping.Percentile(99))
            .Add("hset_p50_ms", hset.Percentile(50))
            .Add("hset_p99_ms", hset.Percentile(99))
            .Add("samples", hset.Count);
    }
}
