using System.Diagnostics;
using AgentAspire.Bench.Measuring;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// What one call costs the server at 64 concurrent callers on one connection: PING, a plain HSET, an empty script
/// and a script that does the same HSET. It prices the floor of a protocol made of one script per step.
/// </summary>
internal sealed class ServerCostPerCallScenario : IScenario
{
    private const int Callers = 64;

    public string Group => "floor: server CPU per call, 64 concurrent callers";

    public string Name => "PING, HSET, empty script, script with one HSET";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        var db = connection.GetDatabase();
        var server = BenchContext.Server(connection);
        var empty = LuaScript.Prepare("return 1").Load(server);
        var hset = LuaScript.Prepare("return redis.call('HSET', @key, 'current_step', @step, 'result_step_1', @result)").Load(server);
        var slice = context.Duration / 4;
        var result = new ScenarioResult(Group, Name);
        result.Add("ping_cpu_us", await CpuPerCallAsync(server, slice, (_, _) => db.PingAsync(), cancellationToken).ConfigureAwait(false));
        result.Add("hset_cpu_us", await CpuPerCallAsync(server, slice, (lane, i) =>
            db.HashSetAsync($"bench:cost:{lane}", [new("current_step", i), new("result_step_1", RunOnce.ResultJson)]), cancellationToken).ConfigureAwait(false));
        result.Add("empty_script_cpu_us", await CpuPerCallAsync(server, slice, (_, _) => empty.EvaluateAsync(db), cancellationToken).ConfigureAwait(false));
        result.Add("hset_script_cpu_us", await CpuPerCallAsync(server, slice, (lane, i) =>
            hset.EvaluateAsync(db, new { key = (RedisKey)$"bench:cost:{lane}", step = i, result = RunOnce.ResultJson }), cancellationToken).ConfigureAwait(false));
        return result;
    }

    private static async Task<double> CpuPerCallAsync(IServer server, TimeSpan duration, Func<int, int, Task> call, CancellationToken cancellationToken)
    {
        // Warm-up, then the measured slice.
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(lane => call(lane, 0))).ConfigureAwait(false);
        long calls = 0;
        var before = await ServerSnapshot.TakeAsync(server).ConfigureAwait(false);
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(lane => Task.Run(async () =>
        {
            for (var i = 0; Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested; i++)
            {
                await call(lane, i).ConfigureAwait(false);
                Interlocked.Increment(ref calls);
            }
        }, cancellationToken))).ConfigureAwait(false);
        var after = await ServerSnapshot.TakeAsync(server).ConfigureAwait(false);
        return (after.CpuSeconds - before.CpuSeconds) * 1e6 / Math.Max(1, calls);
    }
}
