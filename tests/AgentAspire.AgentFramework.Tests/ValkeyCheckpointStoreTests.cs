using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentState.Workflows;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.AgentFramework.Tests;

/// <summary>The Agent Framework checkpoint store on a real valkey-server: on its own and under a run's lease.</summary>
public sealed class ValkeyCheckpointStoreTests(ValkeyServerFixture server) : IClassFixture<ValkeyServerFixture>, IAsyncLifetime
{
    private readonly ServiceProvider _services = server.CreateServices(options => options.RunTtl = TimeSpan.FromHours(2));

    private IDatabase Db => server.Database;

    private WorkflowCheckpoints Checkpoints => _services.GetRequiredService<WorkflowCheckpoints>();

    public async ValueTask InitializeAsync() => await server.FlushAsync();

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact(Timeout = 30_000)]
    public async Task Saves_loads_and_lists_in_commit_order_with_the_parent_chain()
    {
        // Arrange
        var store = new ValkeyCheckpointStore(Checkpoints);
        var session = RunIds.NewRunId();

        // Act
        var first = await store.CreateCheckpointAsync(session, Json("""{"n":1}"""));
        var second = await store.CreateCheckpointAsync(session, Json("""{"n":2}"""), first);
        var branch = await store.CreateCheckpointAsync(session, Json("""{"n":3}"""), first);

        // Assert
        Assert.Equal([first, second, branch], await store.RetrieveIndexAsync(session));
        Assert.Equal([second, branch], await store.RetrieveIndexAsync(session, withParent: first));
        Assert.Equal(2, (await store.RetrieveCheckpointAsync(session, second)).GetProperty("n").GetInt32());
        Assert.Equal(
            [new WorkflowCheckpointEntry(first.CheckpointId, null), new WorkflowCheckpointEntry(second.CheckpointId, first.CheckpointId), new WorkflowCheckpointEntry(branch.CheckpointId, first.CheckpointId)],
            await Checkpoints.ListAsync(session));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await store.RetrieveCheckpointAsync(session, new CheckpointInfo(session, "missing")));
        Assert.Empty(await store.RetrieveIndexAsync(RunIds.NewRunId()));
    }

    [Fact(Timeout = 30_000)]
    public async Task Every_checkpoint_key_carries_the_run_ttl_and_the_session_hash_tag()
    {
        // Arrange
        var store = new ValkeyCheckpointStore(Checkpoints);
        var session = RunIds.NewRunId();

        // Act
        await store.CreateCheckpointAsync(session, Json("{}"));

        // Assert
        foreach (var key in new[] { AgentKeys.WorkflowCheckpoints(session), AgentKeys.WorkflowCheckpointIndex(session) })
        {
            Assert.EndsWith("{" + session + "}", key);
            var ttl = await Db.KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Deleting_a_session_or_its_run_removes_its_checkpoints()
    {
        // Arrange
        var store = new ValkeyCheckpointStore(Checkpoints);
        var session = RunIds.NewRunId();
        await store.CreateCheckpointAsync(session, Json("{}"));
        var lease = await CreateAndClaimAsync();
        await new ValkeyCheckpointStore(Checkpoints, lease).CreateCheckpointAsync(lease.RunId, Json("""{"stepNumber":0}"""));

        // Act
        var sessionDeleted = await Checkpoints.DeleteAsync(session);
        var runDeleted = await _services.GetRequiredService<RunStore>().DeleteAsync(lease.RunId);

        // Assert
        Assert.True(sessionDeleted);
        Assert.True(runDeleted);
        foreach (var id in new[] { session, lease.RunId })
        {
            Assert.False(await Db.KeyExistsAsync(AgentKeys.WorkflowCheckpoints(id)));
            Assert.False(await Db.KeyExistsAsync(AgentKeys.WorkflowCheckpointIndex(id)));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Under_a_lease_each_checkpoint_is_the_runs_next_step_in_its_state_and_log()
    {
        // Arrange
        var lease = await CreateAndClaimAsync();
        var store = new ValkeyCheckpointStore(Checkpoints, lease) { DescribeStep = () => new { outputs = 0 } };

        // Act
        var first = await store.CreateCheckpointAsync(lease.RunId, Json("""{"stepNumber":0}"""));
        var second = await store.CreateCheckpointAsync(lease.RunId, Json("""{"stepNumber":1}"""), first);

        // Assert
        Assert.Equal(2, store.LastStep);
        var state = await Db.HashGetAllAsync(AgentKeys.State(lease.RunId));
        var fields = state.ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString());
        Assert.Equal("2", fields["current_step"]);
        Assert.Equal("superstep-1", fields["step_name_2"]);
        using var result = JsonDocument.Parse(fields["result_step_2"]);
        Assert.Equal(second.CheckpointId, result.RootElement.GetProperty("checkpointId").GetString());
        Assert.Equal(first.CheckpointId, result.RootElement.GetProperty("parentId").GetString());
        var log = await _services.GetRequiredService<ActivityLog>().ReadAsync(lease.RunId, null, 100);
        Assert.Equal(["superstep-0", "superstep-1"], log.Entries.Where(entry => entry.Action.StartsWith("superstep", StringComparison.Ordinal)).Select(entry => entry.Action));
        Assert.Equal(lease.Owner, (string?)await Db.StringGetAsync(AgentKeys.Lease(lease.RunId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_stale_owners_checkpoint_is_refused_and_writes_nothing()
    {
        // Arrange: A claims; its lease goes (as if expired); B claims the run
        var zombie = await CreateAndClaimAsync("worker-a");
        await Db.KeyDeleteAsync(AgentKeys.Lease(zombie.RunId));
        var queue = _services.GetRequiredService<RunQueue>();
        await queue.EnqueueAsync(zombie.RunId, null);
        var entry = (await queue.ReadAsync("worker-b", 100)).Single(e => e.RunId == zombie.RunId);
        var successor = (await _services.GetRequiredService<RunLeases>().ClaimAsync(entry, "worker-b")).Lease!;
        var stateBefore = await Db.HashGetAllAsync(AgentKeys.State(zombie.RunId));
        var logBefore = await Db.StreamLengthAsync(AgentKeys.Log(zombie.RunId));

        // Act
        var refused = await Assert.ThrowsAsync<CheckpointRefusedException>(async () =>
            await new ValkeyCheckpointStore(Checkpoints, zombie).CreateCheckpointAsync(zombie.RunId, Json("""{"stepNumber":0}""")));
        var accepted = await new ValkeyCheckpointStore(Checkpoints, successor).CreateCheckpointAsync(successor.RunId, Json("""{"stepNumber":0}"""));

        // Assert
        Assert.Equal(WorkflowCheckpointOutcome.Fenced, refused.Outcome);
        Assert.Equal(stateBefore.Length + 3, (await Db.HashGetAllAsync(AgentKeys.State(zombie.RunId))).Length);
        Assert.Equal(logBefore + 1, await Db.StreamLengthAsync(AgentKeys.Log(zombie.RunId)));
        Assert.Equal([accepted], await new ValkeyCheckpointStore(Checkpoints).RetrieveIndexAsync(zombie.RunId));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_agent_framework_workflow_resumes_from_a_valkey_checkpoint_in_a_fresh_store()
    {
        // Arrange: run the workflow with checkpoints, then take the checkpoint after its first superstep
        var session = RunIds.NewRunId();
        var workflow = new CountingWorkflow();
        var firstRun = await RunAsync(workflow.Build(), run => InProcessExecution.RunStreamingAsync(run, 4, CheckpointManager.CreateJson(new ValkeyCheckpointStore(Checkpoints)), session));
        var index = (await new ValkeyCheckpointStore(Checkpoints).RetrieveIndexAsync(session)).ToList();
        var afterFirstSuperstep = index[^3];

        // Act: another store and another workflow instance resume from it, as another process would
        var resumed = new CountingWorkflow();
        var manager = CheckpointManager.CreateJson(new ValkeyCheckpointStore(Checkpoints));
        var secondRun = await RunAsync(resumed.Build(), run => InProcessExecution.ResumeStreamingAsync(run, afterFirstSuperstep, manager));

        // Assert
        Assert.Equal(["result 10"], firstRun);
        Assert.Equal(3, workflow.Calls);
        Assert.Equal(["result 10"], secondRun);
        Assert.Equal(2, resumed.Calls);
    }

    private static async Task<List<string>> RunAsync(Workflow workflow, Func<Workflow, ValueTask<StreamingRun>> start)
    {
        var outputs = new List<string>();
        await using var run = await start(workflow);
        await foreach (var evt in run.WatchStreamAsync(TestContext.Current.CancellationToken))
        {
            if (evt is WorkflowOutputEvent output)
            {
                outputs.Add(output.Data?.ToString() ?? "");
            }
        }

        return outputs;
    }

    private async Task<RunLease> CreateAndClaimAsync(string worker = "worker-a")
    {
        var runId = RunIds.NewRunId();
        await _services.GetRequiredService<RunStore>().CreateAsync(new NewRun(runId, "research-workflow", """{"question":"why"}""", "hash-" + runId));
        var entry = (await _services.GetRequiredService<RunQueue>().ReadAsync(worker, 100)).Single(e => e.RunId == runId);
        return (await _services.GetRequiredService<RunLeases>().ClaimAsync(entry, worker)).Lease!;
    }

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
