using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>A worker that stops hands its runs back; another one resumes them after their last committed step.</summary>
public sealed class ShutdownTests(ValkeyServerFixture server) : WorkerTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task Stopping_a_worker_mid_step_hands_the_run_back_and_another_worker_resumes_it_after_the_last_commit()
    {
        // Arrange: step 1 committed, step 2 waits on the gate
        var gate = new StepGate();
        var first = await StartWorkerAsync(gate, "worker-a");
        var runId = await CreateRunAsync(GateAgent.AgentName, """{"text":"hello valkey"}""");
        await WaitForAsync(gate.Entered.Task, "the gated step to start");

        // Act: stop the worker as a SIGTERM would
        await first.StopAsync();

        // Assert: handed back — queued, released, no lease, one fresh entry that nobody holds
        Assert.True(gate.CancellationSeen.Task.IsCompleted, "The step's token did not fire on shutdown.");
        var handedBack = await CheckpointAsync(runId);
        Assert.Equal(RunStatus.Queued, handedBack.Status);
        Assert.Equal(1, handedBack.CurrentStep);
        var released = (await LogAsync(runId))[^1];
        Assert.Equal(LogActions.Released, released.Action);
        Assert.Equal("worker-a", released.Worker);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
        Assert.Equal((1, 0), await QueueShardAsync(runId));

        // Act: another worker takes the queued run, with the gate open
        gate.Open.SetResult();
        var second = await StartWorkerAsync(gate, "worker-b");
        var completed = await WaitForStatusAsync(runId, RunStatus.Complete);
        await second.StopAsync();

        // Assert: resumed at step 2; step 1 ran once; the tool's result came from the cache the second time
        var log = await LogAsync(runId);
        var resumed = Assert.Single(log, entry => entry.Action == LogActions.Resumed);
        Assert.Equal("worker-b", resumed.Worker);
        Assert.True(LogDetailsJson.TryRead<ClaimedDetails>(resumed, out var claimed));
        Assert.Equal(2, claimed.NextStep);
        Assert.Equal(1, gate.PrepareRuns);
        Assert.Equal(2, gate.WaitRuns);
        Assert.Equal(1, gate.ToolCalls);
        Assert.Equal(["prepare", "wait", "finish"], completed.Steps.Select(step => step.Name));
        Assert.Equal("\"HELLO VALKEY has 11 letters\"", completed.Steps[^1].ResultJson);
        Assert.Equal(["worker-a"], log.Where(entry => entry.Action == "prepare").Select(entry => entry.Worker));
        Assert.Equal(["worker-b"], log.Where(entry => entry.Action is "wait" or "finish").Select(entry => entry.Worker).Distinct());
        Assert.Equal((0, 0), await QueueShardAsync(runId));
    }
}
