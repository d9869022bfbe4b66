using System.Diagnostics;
using AgentAspire.AgentState.Scripting;
using AgentAspire.AgentState.Tools;
using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Scenarios;

/// <summary>A tool-cache hit through <see cref="ToolCache"/> against a raw GET of the same entry, alternating on one connection.</summary>
internal sealed class ToolCacheHitScenario : IScenario
{
    private const string Arguments = """{"query":"Valkey vector search benchmarks"}""";

    public string Group => "tool cache";

    public string Name => "hit vs GET";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await using var services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        var cache = services.ToolCache;
        var db = connection.GetDatabase();
        var key = ToolCache.KeyFor("web_search", Arguments);
        await cache.GetOrComputeAsync("web_search", Arguments, TimeSpan.FromMinutes(10), _ => Task.FromResult("""{"results":["a","b"]}"""), cancellationToken).ConfigureAwait(false);

        var hit = new Latencies();
        var get = new Latencies();
        var deadline = Stopwatch.GetTimestamp() + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var value = await db.StringGetAsync(key).ConfigureAwait(false);
            var read = Stopwatch.GetTimestamp();
            var result = await cache.GetOrComputeAsync("web_search", Arguments, TimeSpan.FromMinutes(10),
                _ => throw new InvalidOperationException("A cached tool result was computed again."), cancellationToken).ConfigureAwait(false);
            var answered = Stopwatch.GetTimestamp();
            if (value.IsNull || !result.CacheHit)
            {
                throw new InvalidOperationException("The cached tool result was not found.");
            }

            if (i >= 100)
            {
                get.Add(Stopwatch.GetElapsedTime(started, read));
                hit.Add(Stopwatch.GetElapsedTime(read, answered));
            }
        }

        return new ScenarioResult(Group, Name)
            .Add("hit_p50_ms", hit.Percentile(50))
            .Add("hit_p99_ms", hit.Percentile(99))
            .Add("get_p50_ms", get.Percentile(50))
            .Add("get_p99_ms", get.Percentile(99))
            .Add("samples", hit.Count);
    }
}
