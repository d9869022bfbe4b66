using AgentAspire.AgentState.Leases;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// A run lives <c>RunTtl</c> after its last change: a commit renews the TTLs of state and log and the run's entry in
/// <c>agent:index</c> once a hundredth of the TTL has passed since the last renewal, and leaves them alone before.
/// </summary>
public sealed class TtlRenewalTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task A_commit_a_hundredth_of_the_run_ttl_after_the_last_renewal_refreshes_state_log_and_index_entry()
    {
        // Arrange: a run TTL of 1000 s (renewals 10 s apart), a clock the test moves, the TTLs worn down to 100 s
        var clock = new MovableClock();
        var services = ServicesWithClock(clock, options => options.RunTtl = TimeSpan.FromSeconds(1000));
        var lease = await CreateAndClaimAsync(services, NewRunId());
        var runId = lease.RunId;
        Assert.Equal(CommitOutcome.Committed, await lease.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false));
        await WearDownAsync(runId);
        var scoreBefore = await IndexScoreAsync(runId);

        // Act 1: a commit 5 s later, before a hundredth of the TTL
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(CommitOutcome.Committed, await lease.CommitStepAsync(2, "search", "[]", "{}", isLastStep: false));

        // Assert 1: nothing renewed, the index entry unmoved
        Assert.True(await TtlSecondsAsync(AgentKeys.State(runId)) <= 100, "the state's TTL was renewed early");
        Assert.True(await TtlSecondsAsync(AgentKeys.Log(runId)) <= 100, "the log's TTL was renewed early");
        Assert.Equal(scoreBefore, await IndexScoreAsync(runId));

        // Act 2: a commit 11 s after the last renewal, its index entry lost meanwhile (a dropped index write)
        clock.Advance(TimeSpan.FromSeconds(6));
        var shard = AgentKeys.ShardOf(runId, AgentKeys.RunIndexShards);
        await Db.SortedSetRemoveAsync(AgentKeys.RunIndex(shard), runId);
        Assert.Equal(CommitOutcome.Committed, await lease.CommitStepAsync(3, "analyze", "null", "{}", isLastStep: false));

        // Assert 2: both TTLs back to the full run TTL, the index entry back, scored at the commit's time
        Assert.True(await TtlSecondsAsync(AgentKeys.State(runId)) > 900, "the state's TTL was not renewed");
        Assert.True(await TtlSecondsAsync(AgentKeys.Log(runId)) > 900, "the log's TTL was not renewed");
        var scoreAfter = await IndexScoreAsync(runId);
        Assert.NotNull(scoreAfter);
        Assert.True(scoreAfter >= clock.GetUtcNow().ToUnixTimeSeconds(), $"index score {scoreAfter}, commit at {clock.GetUtcNow().ToUnixTimeSeconds()}");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_that_lasts_longer_than_its_ttl_never_expires_while_it_commits()
    {
        // Arrange: a run TTL of 2 s; commits 600 ms apart for twice as long
        var services = Services(options => options.RunTtl = TimeSpan.FromSeconds(2));
        var lease = await CreateAndClaimAsync(services, NewRunId());
        const int steps = 7;

        for (var step = 1; step <= steps; step++)
        {
            // Act
            await Task.Delay(600, Cancellation);
            var outcome = await lease.CommitStepAsync(step, $"step{step}", "{}", "{}", isLastStep: step == steps);

            // Assert: every commit lands on a living run, whose keys still have their TTL
            Assert.Equal(step == steps ? CommitOutcome.Completed : CommitOutcome.Committed, outcome);
            Assert.True(await Db.KeyExistsAsync(AgentKeys.State(lease.RunId)), $"the state expired before step {step}");
            Assert.True(await Db.KeyExistsAsync(AgentKeys.Log(lease.RunId)), $"the log expired before step {step}");
        }

        Assert.Equal(steps, (await services.Store.GetAsync(lease.RunId))!.CurrentStep);
    }

    private AgentStateServices ServicesWithClock(TimeProvider clock, Action<AgentStateOptions> configure)
    {
        // AddAgentState keeps a TimeProvider registered before it.
        var provider = new ServiceCollection()
            .AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(Server.Connection)
            .AddSingleton(clock)
            .AddLogging()
            .AddAgentState(configure)
            .BuildServiceProvider();
        Track(provider);
        return new AgentStateServices(provider);
    }

    private async Task WearDownAsync(string runId)
    {
        await Db.KeyExpireAsync(AgentKeys.State(runId), TimeSpan.FromSeconds(100));
        await Db.KeyExpireAsync(AgentKeys.Log(runId), TimeSpan.FromSeconds(100));
    }

    private async Task<double> TtlSecondsAsync(string key) =>
        (await Db.KeyTimeToLiveAsync(key))?.TotalSeconds ?? throw new InvalidOperationException($"{key} has no TTL or is gone");

    /// <summary>The system clock plus an offset the test moves forward.</summary>
    private sealed class MovableClock : TimeProvider
    {
        private TimeSpan _offset;

        public void Advance(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
    }
}
