using AgentAspire.AgentState.Runs;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Valkey;

public sealed class RetentionTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task Every_key_but_the_global_ones_has_a_ttl_after_runs_and_tool_calls()
    {
        // Arrange and Act: a completed run, a run held by a worker, a cancelled run, a failed run, tool results
        var services = Services();
        var completed = await CreateAndClaimAsync(services, NewRunId());
        await completed.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);
        await completed.CommitStepAsync(2, "search", "[]", "{}", isLastStep: false);
        await completed.CommitStepAsync(3, "analyze", "null", "{}", isLastStep: true);
        var held = await CreateAndClaimAsync(services, NewRunId());
        await held.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);
        var cancelledId = NewRunId();
        await services.Store.CreateAsync(NewRun(cancelledId, agent: "writer"));
        await services.Store.TransitionAsync(new RunTransition(cancelledId, [RunStatus.Queued], RunStatus.Cancelled, "cancelled"));
        var failed = await CreateAndClaimAsync(services, NewRunId());
        await failed.FailAsync("boom");
        await services.Log.AppendAsync(held.RunId, "note", """{"text":"hello"}""");
        await services.Cache.GetOrComputeAsync("web_search", """{"q":1}""", TimeSpan.FromMinutes(5), _ => Task.FromResult("[]"), Cancellation);
        await services.Cache.GetOrComputeAsync("database", """{"q":2}""", TimeSpan.FromHours(1), _ => Task.FromResult("{}"), Cancellation);

        // Assert
        var keys = await Server.AllKeysAsync();

        var perRun = keys.Where(key => !IsGlobal(key)).ToList();
        Assert.Contains(AgentKeys.State(held.RunId), perRun);
        Assert.Contains(AgentKeys.Log(held.RunId), perRun);
        Assert.Contains(AgentKeys.Lease(held.RunId), perRun);
        Assert.Equal(2, perRun.Count(key => key.StartsWith("tool:cache:", StringComparison.Ordinal)));
        Assert.Equal(4 * 2 + 1 + 2, perRun.Count); // state + log of four runs, one lease, two cache entries
        foreach (var key in perRun)
        {
            var ttl = await Db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } value && value > TimeSpan.Zero, $"{key} has no TTL");
        }

        var leaseTtl = (long)await Db.ExecuteAsync("PTTL", AgentKeys.Lease(held.RunId));
        Assert.True(leaseTtl > 0, $"lease PTTL {leaseTtl}");
        Assert.Contains(AgentKeys.RunQueue(services.Queue.ShardOf(held.RunId)), keys);
        Assert.Contains(AgentKeys.RunIndex(AgentKeys.ShardOf(held.RunId, AgentKeys.RunIndexShards)), keys);
    }

    [Fact(Timeout = 30_000)]
    public async Task State_and_log_of_a_run_share_the_configured_run_ttl()
    {
        // Arrange
        var services = Services(options => options.RunTtl = TimeSpan.FromMinutes(10));
        var lease = await CreateAndClaimAsync(services, NewRunId());

        // Act
        await lease.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);

        // Assert
        var stateTtl = await Db.KeyTimeToLiveAsync(AgentKeys.State(lease.RunId));
        var logTtl = await Db.KeyTimeToLiveAsync(AgentKeys.Log(lease.RunId));
        Assert.NotNull(stateTtl);
        Assert.NotNull(logTtl);
        Assert.InRange(stateTtl.Value.TotalSeconds, 1, 600);
        Assert.InRange(logTtl.Value.TotalSeconds, 1, 600);
    }

    private static bool IsGlobal(string key) =>
        key == AgentKeys.DeadLetters
        || key.StartsWith("agent:runs:{q", StringComparison.Ordinal)
        || key.StartsWith("agent:index:{i", StringComparison.Ordinal);
}
