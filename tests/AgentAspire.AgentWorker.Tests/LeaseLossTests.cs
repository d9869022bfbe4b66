using System.Globalization;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>A worker that loses its run to another one stops, and whatever it still tries to write is refused.</summary>
public sealed class LeaseLossTests(ValkeyServerFixture server) : WorkerTest(server)
{
    // Renewed every second, so the worker learns of a takeover within about a second.
    private static readonly Dictionary<string, string?> ShortLease = new() { ["AgentState:LeaseDuration"] = "00:00:03" };

    [Fact(Timeout = 60_000)]
    public async Task A_worker_whose_run_is_taken_over_mid_step_sees_the_steps_token_fire_and_writes_nothing_after_the_takeover()
    {
        // Arrange: the run's second step waits on the gate
        var gate = new StepGate();
        var worker = await StartWorkerAsync(gate, "worker-a", ShortLease);
        var runId = await CreateRunAsync(GateAgent.AgentName);
        await WaitForAsync(gate.Entered.Task, "the gated step to start");

        // Act: another worker takes the run over while the step waits
        var successor = await TakeOverAsync(runId, "worker-b");
        var takeover = (await LogAsync(runId))[^1];
        await WaitForAsync(gate.CancellationSeen.Task, "the step's token to fire after the takeover");
        await worker.Logs.WaitForAsync(Wait, runId, "lease lost");
        await worker.StopAsync();

        // Assert: the old worker's log ends at the takeover; the checkpoint is the successor's
        Assert.Equal(LogActions.Resumed, takeover.Action);
        Assert.Equal("worker-b", takeover.Worker);
        var log = await LogAsync(runId);
        Assert.Equal(takeover.Id, log[^1].Id);
        Assert.DoesNotContain(log, entry => entry.Action == LogActions.Released);
        var checkpoint = await CheckpointAsync(runId);
        Assert.Equal(RunStatus.InProgress, checkpoint.Status);
        Assert.Equal(1, checkpoint.CurrentStep);
        Assert.Equal(successor.Fence, checkpoint.Fence);
        Assert.Equal(successor.Owner, (string?)await Db.StringGetAsync(AgentKeys.Lease(runId)));
        Assert.Equal(0, gate.FinishRuns);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_that_finishes_after_a_takeover_has_its_commit_refused_and_leaves_the_checkpoint_unchanged()
    {
        // Arrange: a step blind to its token, taken over while it waits
        var gate = new StepGate { HonoursCancellation = false };
        var worker = await StartWorkerAsync(gate, "worker-a", ShortLease);
        var runId = await CreateRunAsync(GateAgent.AgentName);
        await WaitForAsync(gate.Entered.Task, "the gated step to start");
        var successor = await TakeOverAsync(runId, "worker-b");
        var stateAtTakeover = await StateHashAsync(runId);
        var logAtTakeover = await LogAsync(runId);

        // Act: the step returns its result under the old fence
        gate.Open.SetResult();
        await WaitForAsync(gate.Returned.Task, "the step to return after the takeover");
        await worker.Logs.WaitForAsync(Wait, runId, "commit of step 2 refused (Fenced)");
        await worker.StopAsync();

        // Assert: nothing of the refused commit is in Valkey
        Assert.Equal(stateAtTakeover, await StateHashAsync(runId));
        Assert.Equal(logAtTakeover.Select(entry => entry.Id), (await LogAsync(runId)).Select(entry => entry.Id));
        Assert.Equal(successor.Fence.ToString(CultureInfo.InvariantCulture), stateAtTakeover[CheckpointFields.Fence]);
        Assert.Equal("1", stateAtTakeover[CheckpointFields.CurrentStep]);
        Assert.False(stateAtTakeover.ContainsKey(CheckpointFields.Result(2)));
        Assert.Equal(successor.Owner, (string?)await Db.StringGetAsync(AgentKeys.Lease(runId)));
        Assert.Equal(0, gate.FinishRuns);
    }
}
