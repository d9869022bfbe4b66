using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Queue;

namespace AgentAspire.AgentState.Tests.Valkey;

public sealed class ResumeTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(500);

    [Fact(Timeout = 30_000)]
    public async Task A_run_whose_worker_died_after_step_one_is_taken_over_with_its_checkpoint()
    {
        // Arrange: worker A claims and commits step 1, then dies (no more renewals)
        var workerA = Services(options => options.LeaseDuration = ShortLease, await Server.ConnectAsync());
        var workerB = Services(options => options.LeaseDuration = ShortLease, await Server.ConnectAsync());
        var runId = NewRunId();
        var dead = await CreateAndClaimAsync(workerA, runId, "worker-a");
        Assert.Equal(CommitOutcome.Committed, await dead.CommitStepAsync(1, "plan", """{"plan":["x"]}""", "{}", isLastStep: false));

        // Act: worker B takes the abandoned entry over once it is idle past the lease, and claims it
        var (entry, claim) = await TakeOverAsync(workerB, "worker-b", runId);

        // Assert
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.True(entry.Deliveries >= 2, $"deliveries: {entry.Deliveries}");
        var lease = claim.Lease!;
        Assert.Equal(2, lease.Fence);
        Assert.Equal(2, lease.Checkpoint.Attempt);
        Assert.Equal(1, lease.Checkpoint.CurrentStep);
        Assert.Equal("""{"plan":["x"]}""", Assert.Single(lease.Checkpoint.Steps).ResultJson);
        Assert.Equal(CommitOutcome.Fenced, await dead.CommitStepAsync(2, "search", "{}", "{}", isLastStep: false));
        Assert.Equal(CommitOutcome.Committed, await lease.CommitStepAsync(2, "search", """{"hits":1}""", "{}", isLastStep: false));
        Assert.Equal(CommitOutcome.Completed, await lease.CommitStepAsync(3, "analyze", """{"done":true}""", "{}", isLastStep: true));
        Assert.Equal(0, await PendingAsync());
        var actions = (await Db.StreamRangeAsync(AgentKeys.Log(runId), "-", "+")).Select(e => e["action"].ToString());
        Assert.Equal(["queued", "started", "plan", "resumed", "search", "analyze", "complete"], actions);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_entry_past_its_delivery_limit_is_dead_lettered_and_leaves_the_queue()
    {
        // Arrange: a run whose workers keep dying before they commit anything
        const int maxDeliveries = 2;
        var services = ShortLeaseServices(maxDeliveries);
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));
        var entry = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-0", runId));
        var deliveries = new List<int> { entry.Deliveries };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(Wait);
        while (entry.Deliveries <= maxDeliveries)
        {
            entry = await PollAbandonedAsync(services.Queue, $"worker-{deliveries.Count}", runId, deadline.Token);
            deliveries.Add(entry.Deliveries);
        }

        // Act
        await services.Queue.DeadLetterAsync(entry, "exhausted its deliveries");

        // Assert
        Assert.Equal(deliveries.Order(), deliveries);
        Assert.Equal(deliveries.Count, deliveries.Distinct().Count());
        Assert.Equal(0, await QueueLengthAsync());
        Assert.Equal(0, await PendingAsync());
        var deadLetter = Assert.Single(await Db.StreamRangeAsync(AgentKeys.DeadLetters, "-", "+"));
        Assert.Equal(runId, deadLetter["run_id"].ToString());
        Assert.Equal(entry.EntryId, deadLetter["entry_id"].ToString());
        Assert.Equal("exhausted its deliveries", deadLetter["reason"].ToString());
        Assert.Equal(entry.Deliveries.ToString(System.Globalization.CultureInfo.InvariantCulture), deadLetter["deliveries"].ToString());
        var statistics = await services.Queue.GetStatisticsAsync();
        Assert.Equal(new QueueStatistics(0, 0, 1), statistics);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_whose_deliveries_keep_ending_without_a_commit_is_failed_by_the_claim_past_the_limit()
    {
        // Arrange: a run whose workers keep dying before they commit anything, two such deliveries allowed
        const int maxDeliveries = 2;
        var services = ShortLeaseServices(maxDeliveries);
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));
        var first = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-1", runId));
        Assert.Equal(ClaimOutcome.Claimed, (await services.Leases.ClaimAsync(first, "worker-1")).Outcome);

        // Act: each later delivery is taken over by another worker once the last one's lease ran out
        var outcomes = new List<ClaimOutcome>();
        QueueEntry entry;
        ClaimResult claim;
        do
        {
            var worker = $"worker-{outcomes.Count + 2}";
            (entry, claim) = await TakeOverAsync(services, worker, runId);
            outcomes.Add(claim.Outcome);
        }
        while (claim.Outcome == ClaimOutcome.Claimed && outcomes.Count < 5);

        // Assert: the second delivery ran, the third found two deliveries ended without a commit and failed the run
        Assert.Equal([ClaimOutcome.Claimed, ClaimOutcome.Failed], outcomes);
        var state = await HashAsync(AgentKeys.State(runId));
        Assert.Equal(RunStatus.Failed, state["status"]);
        Assert.Equal("2 deliveries in a row ended without a new commit (limit 2).", state["error"]);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
        var log = await Db.StreamRangeAsync(AgentKeys.Log(runId), "-", "+");
        var failed = log[^1];
        Assert.Equal("failed", failed["action"].ToString());
        // Written by the claim that holds the run: its own attempt and worker, which no other entry carries.
        Assert.Equal(state["attempt"], failed["attempt"].ToString());
        Assert.Equal("worker-3", failed["worker"].ToString());
        Assert.DoesNotContain(log[..^1], other => other["attempt"] == failed["attempt"]);
        Assert.Equal(0, await QueueLengthAsync());
        Assert.Equal(0, await PendingAsync());
        var deadLetter = Assert.Single(await Db.StreamRangeAsync(AgentKeys.DeadLetters, "-", "+"));
        Assert.Equal(entry.EntryId, deadLetter["entry_id"].ToString());
        Assert.Equal(state["error"], deadLetter["reason"].ToString());
        Assert.Equal(RunStatus.Failed, (await services.Store.ListAsync(new RunQuery { Status = RunStatus.Failed })).Items.Single().Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_entry_of_a_run_failed_by_a_claim_whose_worker_died_before_dead_lettering_it_is_dead_lettered_by_the_next_claim()
    {
        // Arrange: what a claim that failed a run past the limit leaves when its worker dies before the next round
        // trip (the dead letter lives in another hash slot): the run failed, its lease gone, its entry still pending
        var services = ShortLeaseServices(maxDeliveries: 2);
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId, "worker-1");
        const string error = "2 deliveries in a row ended without a new commit (limit 2).";
        await Db.HashSetAsync(AgentKeys.State(runId), [
            new("status", RunStatus.Failed), new("error", error), new("stalled_deliveries", 3),
            new("claimed_delivery", $"{lease.Entry.EntryId}/3"),
        ]);
        await Db.KeyDeleteAsync(AgentKeys.Lease(runId));

        // Act
        var (entry, claim) = await TakeOverAsync(services, "worker-2", runId);

        // Assert: dead-lettered with the run's error and acknowledged; the run stays as the failing claim left it
        Assert.Equal(ClaimOutcome.Failed, claim.Outcome);
        var deadLetter = Assert.Single(await Db.StreamRangeAsync(AgentKeys.DeadLetters, "-", "+"));
        Assert.Equal(entry.EntryId, deadLetter["entry_id"].ToString());
        Assert.Equal(error, deadLetter["reason"].ToString());
        Assert.Equal(0, await PendingAsync());
        Assert.Equal(RunStatus.Failed, (await HashAsync(AgentKeys.State(runId)))["status"]);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_entry_of_a_run_that_ended_otherwise_is_acknowledged_without_a_dead_letter()
    {
        // Arrange: a run completed by its worker, whose entry is still pending (the worker died before acknowledging)
        var services = ShortLeaseServices(maxDeliveries: 2);
        var runId = NewRunId();
        await CreateAndClaimAsync(services, runId, "worker-1");
        await Db.HashSetAsync(AgentKeys.State(runId), "status", RunStatus.Complete);
        await Db.KeyDeleteAsync(AgentKeys.Lease(runId));

        // Act
        var (_, claim) = await TakeOverAsync(services, "worker-2", runId);

        // Assert
        Assert.Equal(ClaimOutcome.NothingToDo, claim.Outcome);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.DeadLetters));
        Assert.Equal(0, await PendingAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_that_commits_between_the_deaths_of_its_workers_completes_past_the_delivery_limit()
    {
        // Arrange: a limit of one delivery without a commit; every worker commits one step and dies
        var services = ShortLeaseServices(maxDeliveries: 1);
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId, "worker-1");
        string[] steps = ["plan", "search", "analyze", "respond"];

        // Act
        var outcomes = new List<CommitOutcome> { await lease.CommitStepAsync(1, steps[0], "{}", "{}", isLastStep: false) };
        for (var step = 2; step <= steps.Length; step++)
        {
            var (entry, claim) = await TakeOverAsync(services, $"worker-{step}", runId);
            Assert.True(claim.Outcome == ClaimOutcome.Claimed, $"delivery {entry.Deliveries}: {claim.Outcome}");
            outcomes.Add(await claim.Lease!.CommitStepAsync(step, steps[step - 1], "{}", "{}", isLastStep: step == steps.Length));
        }

        // Assert: four deliveries under a limit of one, never failed, because each one committed
        Assert.Equal([CommitOutcome.Committed, CommitOutcome.Committed, CommitOutcome.Committed, CommitOutcome.Completed], outcomes);
        Assert.Equal(RunStatus.Complete, (await HashAsync(AgentKeys.State(runId)))["status"]);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.DeadLetters));
    }

    [Fact(Timeout = 30_000)]
    public async Task Claiming_the_same_delivery_again_after_a_fault_does_not_count_against_the_limit()
    {
        // Arrange: a limit of one delivery without a commit
        var services = Services(options => options.MaxDeliveries = 1);
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId, "worker-a");

        // Act: the worker lets go after a fault of Valkey itself and claims the same delivery again, three times
        var outcomes = new List<ClaimOutcome>();
        for (var i = 0; i < 3; i++)
        {
            await lease.AbandonAsync();
            var claim = await services.Leases.ClaimAsync(lease.Entry, "worker-a");
            outcomes.Add(claim.Outcome);
            lease = claim.Lease ?? lease;
        }

        // Assert
        Assert.Equal([ClaimOutcome.Claimed, ClaimOutcome.Claimed, ClaimOutcome.Claimed], outcomes);
        Assert.Equal(RunStatus.InProgress, (await HashAsync(AgentKeys.State(runId)))["status"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_live_worker_keeps_its_entry_from_being_taken_over()
    {
        // Arrange
        var services = Services(options => options.LeaseDuration = TimeSpan.FromSeconds(1));
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId, "worker-a");

        // Act: renew much faster than the lease for longer than one lease; others look for abandoned entries meanwhile
        var takenOver = new List<QueueEntry>();
        for (var i = 0; i < 15; i++)
        {
            Assert.True(await lease.RenewAsync());
            takenOver.AddRange(await services.Queue.ClaimAbandonedAsync("worker-b", 10));
            await Task.Delay(TimeSpan.FromMilliseconds(100), Cancellation);
        }

        // Assert
        Assert.Empty(takenOver);
        Assert.Equal(lease.Owner, (string?)await Db.StringGetAsync(AgentKeys.Lease(runId)));
    }

    private AgentStateServices ShortLeaseServices(int maxDeliveries) => Services(options =>
    {
        options.LeaseDuration = ShortLease;
        options.MaxDeliveries = maxDeliveries;
    });

    private static async Task<(QueueEntry Entry, ClaimResult Claim)> TakeOverAsync(AgentStateServices services, string worker, string runId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(Wait);
        while (true)
        {
            // The entry may be idle past the lease a little before the lease itself expires: then the claim is busy
            // and the entry, now this worker's, is taken over again later.
            var entry = await PollAbandonedAsync(services.Queue, worker, runId, deadline.Token);
            var claim = await services.Leases.ClaimAsync(entry, worker);
            if (claim.Outcome != ClaimOutcome.Busy)
            {
                return (entry, claim);
            }
        }
    }

    private static async Task<QueueEntry> PollAbandonedAsync(RunQueue queue, string worker, string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entries = await queue.ClaimAbandonedAsync(worker, 10);
            if (entries.FirstOrDefault(entry => entry.RunId == runId) is { } entry)
            {
                return entry;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}
