using System.Diagnostics;
using AgentAspire.AgentState.Scripting;
using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Scenarios;

/// <summary>100 concurrent callers miss the same tool key at once (the tool takes 20 ms): how many tool calls they make.</summary>
internal sealed class ToolCacheStampedeScenario : IScenario
{
    private const int Callers = 100;

    public string Group => "tool cache";

    public string Name => "100 concurrent misses on one key";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await using var services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        var cache = services.ToolCache;
        var rounds = 0;
        var mostCalls = 0;
        var waits = new Latencies();
        var deadline = Stopwatch.GetTimestamp() + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        do
        {
            var calls = 0;
            var arguments = $$"""{"query":"stampede {{Guid.NewGuid():N}}"}""";
            using var start = new ManualResetEventSlim();
            var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                start.Wait(cancellationToken);
                var started = Stopwatch.GetTimestamp();
                var result = await cache.GetOrComputeAsync("web_search", arguments, TimeSpan.FromMinutes(5), async ct =>
                {
                    Interlocked.Increment(ref calls);
                    await Task.Delay(20, ct).ConfigureAwait(false);
                    return """{"results":["computed once"]}""";
                }, cancellationToken).ConfigureAwait(false);
                waits.Add(Stopwatch.GetElapsedTime(started));
                return result.ResultJson;
            }, cancellationToken)).ToList();
            start.Set();
            var answers = await Task.WhenAll(callers).ConfigureAwait(false);
            if (answers.Any(answer => answer != """{"results":["computed once"]}"""))
            {
                throw new InvalidOperationException("A caller got another result than the one computed.");
            }

            mostCalls = Math.Max(mostCalls, calls);
            rounds++;
        }
        while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested);

        if (mostCalls != 1)
        {
            throw new InvalidOperationException($"{Callers} concurrent misses on one key made {mostCalls} tool calls; the stampede lock should allow exactly one.");
        }

        return new ScenarioResult(Group, Name)
            .Add("tool_calls_per_key", mostCalls)
            .Add("caller_p50_ms", waits.Percentile(50))
            .Add("caller_p99_ms", waits.Percentile(99))
            .Add("keys", rounds);
    }
}
