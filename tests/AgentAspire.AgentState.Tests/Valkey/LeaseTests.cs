using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.AgentState.Tests.Valkey;

public sealed class LeaseTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task Two_workers_racing_for_one_run_get_one_claim_and_one_busy()
    {
        // Arrange: two processes, the run queued twice
        var workerA = Services(connection: await Server.ConnectAsync());
        var workerB = Services(connection: await Server.ConnectAsync());
        var runId = NewRunId();
        await workerA.Store.CreateAsync(NewRun(runId));
        await workerA.Queue.EnqueueAsync(runId, null);
        var entryA = Assert.Single(await workerA.Queue.ReadAsync("worker-a", 1));
        var entryB = Assert.Single(await workerB.Queue.ReadAsync("worker-b", 1));
        Assert.Equal([runId, runId], new[] { entryA.RunId, entryB.RunId });

        // Act
        var claims = await Task.WhenAll(workerA.Leases.ClaimAsync(entryA, "worker-a"), workerB.Leases.ClaimAsync(entryB, "worker-b"));

        // Assert
        Assert.Single(claims, claim => claim.Outcome == ClaimOutcome.Claimed);
        Assert.Single(claims, claim => claim.Outcome == ClaimOutcome.Busy);
        var winner = claims.Single(claim => claim.Outcome == ClaimOutcome.Claimed).Lease!;
        Assert.Equal(1, winner.Fence);
        Assert.Equal(winner.Owner, (string?)await Db.StringGetAsync(AgentKeys.Lease(runId)));
        Assert.Equal("1", (await HashAsync(AgentKeys.State(runId)))["fence"]);
        Assert.Equal(2, await PendingAsync()); // the busy entry stays pending, to be retried
    }

    [Fact(Timeout = 30_000)]
    public async Task A_worker_whose_run_was_taken_over_is_fenced_and_writes_nothing()
    {
        // Arrange: A claims; its lease goes (deleted here, as if expired); B claims the run
        var services = Services();
        var runId = NewRunId();
        var zombie = await CreateAndClaimAsync(services, runId, "worker-a");
        await Db.KeyDeleteAsync(AgentKeys.Lease(runId));
        await services.Queue.EnqueueAsync(runId, null);
        var entryB = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-b", runId));
        var successor = (await services.Leases.ClaimAsync(entryB, "worker-b")).Lease!;
        var hashBefore = await HashAsync(AgentKeys.State(runId));
        var logLengthBefore = await Db.StreamLengthAsync(AgentKeys.Log(runId));

        // Act
        var outcome = await zombie.CommitStepAsync(1, "plan", """{"from":"zombie"}""", "{}", isLastStep: true);
        var renewed = await zombie.RenewAsync();

        // Assert
        Assert.Equal(CommitOutcome.Fenced, outcome);
        Assert.False(renewed);
        Assert.Equal(2, successor.Fence);
        Assert.Equal(hashBefore, await HashAsync(AgentKeys.State(runId)));
        Assert.Equal(logLengthBefore, await Db.StreamLengthAsync(AgentKeys.Log(runId)));
        Assert.Equal(successor.Owner, (string?)await Db.StringGetAsync(AgentKeys.Lease(runId)));
        Assert.Equal(CommitOutcome.Committed, await successor.CommitStepAsync(1, "plan", """{"from":"successor"}""", "{}", isLastStep: false));
        Assert.Equal("""{"from":"successor"}""", (await HashAsync(AgentKeys.State(runId)))["result_step_1"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_step_committed_twice_or_out_of_turn_is_refused_and_keeps_the_first_result()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        await lease.CommitStepAsync(1, "plan", """{"first":true}""", "{}", isLastStep: false);

        // Act
        var again = await lease.CommitStepAsync(1, "plan", """{"first":false}""", "{}", isLastStep: false);
        var skipped = await lease.CommitStepAsync(3, "analyze", "{}", "{}", isLastStep: false);

        // Assert
        Assert.Equal(CommitOutcome.OutOfOrder, again);
        Assert.Equal(CommitOutcome.OutOfOrder, skipped);
        var hash = await HashAsync(AgentKeys.State(runId));
        Assert.Equal("1", hash["current_step"]);
        Assert.Equal("""{"first":true}""", hash["result_step_1"]);
        Assert.False(hash.ContainsKey("result_step_3"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_commit_after_cancel_is_stopped_and_releases_the_lease_and_the_entry()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        var cancel = new RunTransition(runId, [RunStatus.Queued, RunStatus.InProgress, RunStatus.Waiting], RunStatus.Cancelled, "cancelled");
        var cancelled = await services.Store.TransitionAsync(cancel);

        // Act
        var outcome = await lease.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);

        // Assert
        Assert.True(cancelled.Changed);
        Assert.Equal(CommitOutcome.Stopped, outcome);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
        Assert.Equal(0, await PendingAsync());
        Assert.Equal(0, await QueueLengthAsync());
        var hash = await HashAsync(AgentKeys.State(runId));
        Assert.Equal(RunStatus.Cancelled, hash["status"]);
        Assert.False(hash.ContainsKey("result_step_1"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_commit_after_a_cancel_that_released_the_lease_is_stopped_and_releases_the_entry()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        var cancel = new RunTransition(runId, [RunStatus.Queued, RunStatus.InProgress, RunStatus.Waiting], RunStatus.Cancelled, "cancelled") { ReleaseLease = true };
        await services.Store.TransitionAsync(cancel);

        // Act
        var outcome = await lease.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);

        // Assert
        Assert.Equal(CommitOutcome.Stopped, outcome);
        Assert.Equal(0, await PendingAsync());
        Assert.False((await HashAsync(AgentKeys.State(runId))).ContainsKey("result_step_1"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_commit_after_the_run_was_deleted_is_stopped_and_recreates_nothing()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        Assert.True(await services.Store.DeleteAsync(runId));

        // Act
        var outcome = await lease.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);

        // Assert
        Assert.Equal(CommitOutcome.Stopped, outcome);
        Assert.Equal(0, await PendingAsync());
        Assert.False(await Db.KeyExistsAsync(AgentKeys.State(runId)));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Log(runId)));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Renew_refreshes_the_lease_while_held_and_answers_false_once_it_was_taken()
    {
        // Arrange
        var services = Services(options => options.LeaseDuration = TimeSpan.FromSeconds(30));
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId, "worker-a");
        await Db.KeyExpireAsync(AgentKeys.Lease(runId), TimeSpan.FromSeconds(2));

        // Act
        var renewed = await lease.RenewAsync();
        var ttlAfterRenew = await Db.KeyTimeToLiveAsync(AgentKeys.Lease(runId));

        await Db.KeyDeleteAsync(AgentKeys.Lease(runId));
        await services.Queue.EnqueueAsync(runId, null);
        var entryB = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-b", runId));
        var successor = (await services.Leases.ClaimAsync(entryB, "worker-b")).Lease!;
        var renewedAfterTakeover = await lease.RenewAsync();

        // Assert
        Assert.True(renewed);
        Assert.NotNull(ttlAfterRenew);
        Assert.True(ttlAfterRenew > TimeSpan.FromSeconds(2), $"PTTL after renew was {ttlAfterRenew}");
        Assert.False(renewedAfterTakeover);
        Assert.Equal(successor.Owner, (string?)await Db.StringGetAsync(AgentKeys.Lease(runId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_finished_or_missing_run_is_nothing_to_do_and_its_entry_is_acknowledged()
    {
        // Arrange
        var services = Services();
        var finished = NewRunId();
        var lease = await CreateAndClaimAsync(services, finished);
        await lease.CommitStepAsync(1, "only", "{}", "{}", isLastStep: true);
        await services.Queue.EnqueueAsync(finished, null);
        var missing = NewRunId();
        await services.Queue.EnqueueAsync(missing, null);
        var entries = await services.Queue.ReadAsync("worker-b", 10);

        // Act
        var claims = await Task.WhenAll(entries.Select(entry => services.Leases.ClaimAsync(entry, "worker-b")));

        // Assert
        Assert.Equal(2, claims.Length);
        Assert.All(claims, claim => Assert.Equal(ClaimOutcome.NothingToDo, claim.Outcome));
        Assert.Equal(0, await PendingAsync());
        Assert.Equal(0, await QueueLengthAsync());
        Assert.False(await Db.KeyExistsAsync(AgentKeys.State(missing)));
    }
}
