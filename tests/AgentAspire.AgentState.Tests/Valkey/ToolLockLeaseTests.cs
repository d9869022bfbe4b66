using System.Diagnostics;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>The stampede lock is a short lease: renewed by a live holder, taken over as soon as a dead one's expires.</summary>
public sealed class ToolLockLeaseTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    private static readonly TimeSpan LockLease = TimeSpan.FromMilliseconds(500);

    [Fact(Timeout = 30_000)]
    public async Task A_holder_whose_tool_outlasts_the_lock_lease_keeps_its_lock_and_computes_once()
    {
        // Arrange: a tool that takes four lock leases
        var cache = Services(options => options.ToolLockLease = LockLease).Cache;
        var computed = 0;
        async Task<string> Slow(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref computed);
            await Task.Delay(LockLease * 4, cancellationToken);
            return """{"slow":true}""";
        }

        // Act
        var calls = await Task.WhenAll(Enumerable.Range(0, 5)
            .Select(_ => Task.Run(() => cache.GetOrComputeAsync("slow_tool", """{"q":1}""", TimeSpan.FromMinutes(1), Slow, Cancellation), Cancellation)));

        // Assert
        Assert.Equal(1, computed);
        Assert.Single(calls, call => !call.CacheHit);
        Assert.DoesNotContain(calls, call => call.LockTakenOver);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_waiter_takes_over_the_lock_of_a_dead_holder_once_it_expires_and_says_so()
    {
        // Arrange: a holder that took the lock and died (nobody renews it)
        var cache = Services(options => options.ToolLockLease = LockLease).Cache;
        const string arguments = """{"q":"dead holder"}""";
        var lockKey = AgentKeys.ToolLock("lookup", CanonicalJson.Hash(arguments));
        var deadLease = TimeSpan.FromSeconds(2);
        await Db.StringSetAsync(lockKey, "dead-holder", deadLease);
        var computed = 0;

        // Act
        var started = Stopwatch.GetTimestamp();
        var result = await cache.GetOrComputeAsync("lookup", arguments, TimeSpan.FromMinutes(1), _ =>
        {
            Interlocked.Increment(ref computed);
            return Task.FromResult("""{"found":1}""");
        }, Cancellation);
        var waited = Stopwatch.GetElapsedTime(started);

        // Assert
        Console.WriteLine($"Waited {waited.TotalMilliseconds:F0} ms for a dead holder's lock of {deadLease.TotalMilliseconds:F0} ms.");
        Assert.True(result.LockTakenOver);
        Assert.False(result.CacheHit);
        Assert.Equal(1, computed);
        Assert.False(await Db.KeyExistsAsync(lockKey));
    }
}
