using System.Text.Json;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentState.Tests.Valkey;

public sealed class ToolCacheTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task Fifty_concurrent_callers_of_one_missing_entry_run_the_tool_once_and_all_get_its_result()
    {
        // Arrange: 5 processes (own connection and cache) x 10 callers each
        var caches = new List<ToolCache>();
        for (var process = 0; process < 5; process++)
        {
            caches.Add(Services(connection: await Server.ConnectAsync()).Cache);
        }

        var computed = 0;
        async Task<string> Compute(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref computed);
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            return """{"answer":42}""";
        }

        // Act
        var calls = caches.SelectMany(cache => Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => cache.GetOrComputeAsync("web_search", """{"query":"valkey"}""", TimeSpan.FromMinutes(5), Compute, Cancellation), Cancellation)));
        var results = await Task.WhenAll(calls).WaitAsync(Wait, Cancellation);

        // Assert
        Assert.Equal(1, computed);
        Assert.Equal(50, results.Length);
        Assert.All(results, result => Assert.Equal("""{"answer":42}""", result.ResultJson));
        Assert.Single(results, result => !result.CacheHit);
        Assert.Equal(1, caches.Sum(cache => cache.Statistics.Misses));
        Assert.Equal(49, caches.Sum(cache => cache.Statistics.Hits));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.ToolLock("web_search", CanonicalJson.Hash("""{"query":"valkey"}"""))));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failing_tool_caches_nothing_and_releases_the_lock_for_the_next_caller()
    {
        // Arrange
        var cache = Services().Cache;
        var hash = CanonicalJson.Hash("""{"id":7}""");
        var computed = 0;

        // Act
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            cache.GetOrComputeAsync("database", """{"id":7}""", TimeSpan.FromHours(1), _ => throw new InvalidOperationException("db down"), Cancellation));
        var lockHeldAfterFailure = await Db.KeyExistsAsync(AgentKeys.ToolLock("database", hash));
        var cachedAfterFailure = await Db.KeyExistsAsync(AgentKeys.ToolCache("database", hash));
        var next = await cache.GetOrComputeAsync("database", """{"id":7}""", TimeSpan.FromHours(1), _ =>
        {
            Interlocked.Increment(ref computed);
            return Task.FromResult("""{"row":7}""");
        }, Cancellation);

        // Assert
        Assert.Equal("db down", failure.Message);
        Assert.False(lockHeldAfterFailure);
        Assert.False(cachedAfterFailure);
        Assert.Equal(1, computed);
        Assert.False(next.CacheHit);
        Assert.Equal("""{"row":7}""", next.ResultJson);
    }

    [Fact(Timeout = 30_000)]
    public async Task Callers_waiting_on_a_tool_that_fails_compute_it_themselves_once()
    {
        // Arrange
        var cache = Services().Cache;
        var computed = 0;
        async Task<string> FailFirst(CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref computed);
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            return call == 1 ? throw new InvalidOperationException("first call fails") : """{"ok":true}""";
        }

        // Act
        var calls = Enumerable.Range(0, 10)
            .Select(_ => Task.Run(() => cache.GetOrComputeAsync("flaky", "{}", TimeSpan.FromMinutes(1), FailFirst, Cancellation), Cancellation))
            .ToList();
        await Task.WhenAny(Task.WhenAll(calls), Task.Delay(Wait, Cancellation));

        // Assert
        Assert.All(calls, call => Assert.True(call.IsCompleted));
        Assert.Equal(1, calls.Count(call => call.IsFaulted));
        Assert.All(calls.Where(call => !call.IsFaulted), call => Assert.Equal("""{"ok":true}""", call.Result.ResultJson));
        Assert.Equal(2, computed);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("\"\"")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("false")]
    [InlineData("0")]
    public async Task An_empty_or_falsy_result_is_a_hit_on_the_second_call(string emptyResult)
    {
        // Arrange
        var cache = Services().Cache;
        var computed = 0;
        Task<string> Compute(CancellationToken _)
        {
            Interlocked.Increment(ref computed);
            return Task.FromResult(emptyResult);
        }

        // Act
        var first = await cache.GetOrComputeAsync("web_search", """{"query":"nothing"}""", TimeSpan.FromMinutes(5), Compute, Cancellation);
        var second = await cache.GetOrComputeAsync("web_search", """{ "query" : "nothing" }""", TimeSpan.FromMinutes(5), Compute, Cancellation);

        // Assert
        Assert.Equal(1, computed);
        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(emptyResult, second.ResultJson);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("web_search", 300)]
    [InlineData("database", 3600)]
    [InlineData("static", 86400)]
    public async Task A_cached_result_has_the_tools_ttl_and_the_documented_key(string tool, int ttlSeconds)
    {
        // Arrange
        var cache = Services().Cache;
        var arguments = """{"b":2,"a":1}""";

        // Act
        var result = await cache.GetOrComputeAsync(tool, arguments, TimeSpan.FromSeconds(ttlSeconds), _ => Task.FromResult("""{"v":1}"""), Cancellation);
        var ttl = await Db.KeyTimeToLiveAsync(result.Key);
        var stored = await Db.StringGetAsync(result.Key);

        // Assert
        Assert.Matches($"^tool:cache:{tool}:\\{{[0-9a-f]{{64}}\\}}$", result.Key);
        Assert.Equal(AgentKeys.ToolCache(tool, CanonicalJson.Hash("""{"a":1,"b":2}""")), result.Key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value.TotalSeconds, 1, ttlSeconds);
        using var envelope = JsonDocument.Parse(stored.ToString());
        Assert.Equal(tool, envelope.RootElement.GetProperty("tool").GetString());
        Assert.Equal("""{"v":1}""", envelope.RootElement.GetProperty("result").GetRawText());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_result_that_is_not_json_is_refused_and_not_cached()
    {
        // Arrange
        var cache = Services().Cache;

        // Act and Assert
        await Assert.ThrowsAnyAsync<JsonException>(() =>
            cache.GetOrComputeAsync("web_search", "{}", TimeSpan.FromMinutes(5), _ => Task.FromResult("not json"), Cancellation));
        Assert.False(await Db.KeyExistsAsync(ToolCache.KeyFor("web_search", "{}")));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.ToolLock("web_search", CanonicalJson.Hash("{}"))));
    }
}
