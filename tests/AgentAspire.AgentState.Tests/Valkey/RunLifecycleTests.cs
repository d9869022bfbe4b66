using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.AgentState.Tests.Valkey;

public sealed class RunLifecycleTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task Server_refuses_a_client_without_the_password()
    {
        // Arrange
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Server.Port, Cancellation);
        var stream = client.GetStream();

        // Act
        await stream.WriteAsync("PING\r\n"u8.ToArray(), Cancellation);
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, Cancellation);

        // Assert
        Assert.StartsWith("-NOAUTH", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_three_step_run_completes_with_the_agent_state_pattern_fields_and_leaves_no_queue_entry()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        string[] names = ["plan", "search", "analyze"];
        string[] results = ["""{"plan":["a","b"]}""", """{"hits":3}""", """{"summary":"done"}"""];
        var lease = await CreateAndClaimAsync(services, runId);

        // Act
        var outcomes = new List<CommitOutcome>();
        for (var step = 1; step <= 3; step++)
        {
            outcomes.Add(await lease.CommitStepAsync(step, names[step - 1], results[step - 1], $$"""{"step":{{step}}}""", isLastStep: step == 3));
        }

        // Assert: outcomes and queue
        Assert.Equal([CommitOutcome.Committed, CommitOutcome.Committed, CommitOutcome.Completed], outcomes);
        Assert.Equal(0, await QueueLengthAsync());
        Assert.Equal(0, await PendingAsync());
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));

        // Assert: the checkpoint, read as any Valkey client reads it (HGETALL)
        var hash = await HashAsync(AgentKeys.State(runId));
        Assert.Equal("3", hash["current_step"]);
        Assert.Equal(RunStatus.Complete, hash["status"]);
        for (var step = 1; step <= 3; step++)
        {
            Assert.Equal(results[step - 1], hash[$"result_step_{step}"]);
            Assert.Equal(names[step - 1], hash[$"step_name_{step}"]);
        }

        Assert.Matches(@"^[0-9]+\.[0-9]{3}$", hash["updated_at"]);
        Assert.Equal("research", hash["agent"]);
        Assert.Equal("1", hash["fence"]);

        // Assert: the log, read as any Valkey client reads it (XRANGE), in order
        var log = await Db.StreamRangeAsync(AgentKeys.Log(runId), "-", "+");
        Assert.Equal(["queued", "started", "plan", "search", "analyze", "complete"], log.Select(entry => entry["action"].ToString()));
        Assert.All(log, entry =>
        {
            using var details = JsonDocument.Parse(entry["details"].ToString());
            Assert.NotNull(UnixTime.Parse(entry["ts"]));
        });
        Assert.Equal(["0", "0", "1", "2", "3", "3"], log.Select(entry => entry["step"].ToString()));

        // Assert: the listing indexes
        Assert.NotNull(await IndexScoreAsync(runId));
        Assert.NotNull(await IndexScoreAsync(runId, RunStatus.Complete));
        Assert.Null(await IndexScoreAsync(runId, RunStatus.InProgress));
        Assert.Null(await IndexScoreAsync(runId, RunStatus.Queued));
        Assert.NotNull(await AgentIndexScoreAsync(runId, "research"));

        // Assert: the typed view agrees
        var checkpoint = await services.Store.GetAsync(runId);
        Assert.NotNull(checkpoint);
        Assert.Equal(3, checkpoint.CurrentStep);
        Assert.Equal(names, checkpoint.Steps.Select(step => step.Name));
        Assert.Equal(results, checkpoint.Steps.Select(step => step.ResultJson));
    }

    [Fact(Timeout = 60_000)]
    public async Task Runs_that_complete_all_at_once_leave_no_queue_entry_on_any_shard()
    {
        // Arrange: 60 queued runs over every shard, each claimed
        var services = Services();
        var runIds = Enumerable.Range(0, 60).Select(_ => NewRunId()).ToList();
        await Task.WhenAll(runIds.Select(runId => services.Store.CreateAsync(NewRun(runId))));
        var entries = new List<Queue.QueueEntry>();
        while (entries.Count < runIds.Count)
        {
            var read = await services.Queue.ReadAsync("worker-a", 100);
            Assert.NotEmpty(read);
            entries.AddRange(read);
        }

        var leases = await Task.WhenAll(entries.Select(async entry => (await services.Leases.ClaimAsync(entry, "worker-a")).Lease!));

        // Act: every run's one step commits at once, so their acknowledgements share batches
        var outcomes = await Task.WhenAll(leases.Select(lease => lease.CommitStepAsync(1, "only", "{}", "{}", isLastStep: true)));

        // Assert
        Assert.All(outcomes, outcome => Assert.Equal(CommitOutcome.Completed, outcome));
        Assert.Equal(new AgentStateOptions().QueueShards, entries.Select(entry => entry.Shard).Distinct().Count());
        Assert.Equal(0, await QueueLengthAsync());
        Assert.Equal(0, await PendingAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Repeated_create_with_the_same_request_is_existing_and_with_another_is_conflict_and_neither_changes_the_run()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var first = await services.Store.CreateAsync(NewRun(runId));
        var before = await HashAsync(AgentKeys.State(runId));

        // Act
        var same = await services.Store.CreateAsync(NewRun(runId));
        var other = await services.Store.CreateAsync(NewRun(runId) with { RequestHash = "another-request", InputJson = """{"question":"how"}""" });

        // Assert
        Assert.Equal(CreateRunOutcome.Created, first.Outcome);
        Assert.Equal(CreateRunOutcome.Existing, same.Outcome);
        Assert.Equal(RunStatus.Queued, same.Status);
        Assert.Equal(CreateRunOutcome.Conflict, other.Outcome);
        Assert.Equal(before, await HashAsync(AgentKeys.State(runId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_created_with_carried_steps_starts_after_the_last_of_them()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var fork = NewRun(runId) with
        {
            ForkedFrom = "run_parent",
            CarriedSteps =
            [
                new StepCheckpoint(1, "plan", """{"plan":1}""", null),
                new StepCheckpoint(2, "search", """{"hits":[]}""", null),
            ],
        };

        // Act
        var created = await services.Store.CreateAsync(fork);
        var entry = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-a", runId));
        var claim = await services.Leases.ClaimAsync(entry, "worker-a");
        var repeated = await claim.Lease!.CommitStepAsync(2, "search", "{}", "{}", isLastStep: false);
        var next = await claim.Lease.CommitStepAsync(3, "analyze", """{"ok":true}""", "{}", isLastStep: true);

        // Assert
        Assert.Equal(CreateRunOutcome.Created, created.Outcome);
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(2, claim.Lease.Checkpoint.CurrentStep);
        Assert.Equal("run_parent", claim.Lease.Checkpoint.ForkedFrom);
        Assert.Equal(["""{"plan":1}""", """{"hits":[]}"""], claim.Lease.Checkpoint.Steps.Select(step => step.ResultJson));
        Assert.Equal(CommitOutcome.OutOfOrder, repeated);
        Assert.Equal(CommitOutcome.Completed, next);
        var hash = await HashAsync(AgentKeys.State(runId));
        Assert.Equal("3", hash["current_step"]);
        Assert.Equal("""{"hits":[]}""", hash["result_step_2"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_with_no_step_left_completes_and_is_acknowledged()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);

        // Act
        var result = await lease.CompleteAsync();

        // Assert
        Assert.True(result.Changed);
        Assert.Equal(RunStatus.Complete, (await services.Store.GetAsync(runId))!.Status);
        Assert.Equal(0, await QueueLengthAsync());
        Assert.Equal(0, await PendingAsync());
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_run_records_its_error_and_releases_the_run()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);

        // Act
        var result = await lease.FailAsync("the model is down");

        // Assert
        Assert.True(result.Changed);
        var hash = await HashAsync(AgentKeys.State(runId));
        Assert.Equal(RunStatus.Failed, hash["status"]);
        Assert.Equal("the model is down", hash["error"]);
        Assert.Equal(0, await PendingAsync());
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
        Assert.NotNull(await IndexScoreAsync(runId, RunStatus.Failed));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_released_run_is_queued_again_and_resumes_with_a_new_fence()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        await lease.CommitStepAsync(1, "plan", """{"p":1}""", "{}", isLastStep: false);

        // Act
        var released = await lease.ReleaseAsync();
        var entry = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-b", runId));
        var claim = await services.Leases.ClaimAsync(entry, "worker-b");

        // Assert
        Assert.True(released.Changed);
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(RunStatus.Queued, claim.Status);
        Assert.Equal(2, claim.Lease!.Fence);
        Assert.Equal(1, claim.Lease.Checkpoint.CurrentStep);
        Assert.Equal(1, await PendingAsync());
    }
}
