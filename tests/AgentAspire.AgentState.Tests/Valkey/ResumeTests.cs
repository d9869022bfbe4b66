using AgentAspire.AgentState.Leases;
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
        var services = Services(options =>
        {
            options.LeaseDuration = ShortLease;
            options.MaxDeliveries = maxDeliveries;
        });
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
