using System.Diagnostics;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>A cancel reaches the step in flight through its token; the run ends cancelled and nothing more is committed.</summary>
public sealed class CancelTests(ValkeyServerFixture server) : WorkerTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task Cancelling_a_run_mid_step_fires_the_steps_token_and_the_run_ends_cancelled_without_another_commit()
    {
        // Arrange: the run's second step waits on the gate
        var gate = new StepGate();
        var worker = await StartWorkerAsync(gate, "worker-a");
        var runId = await CreateRunAsync(GateAgent.AgentName);
        await WaitForAsync(gate.Entered.Task, "the gated step to start");

        // Act: cancel as POST /runs/{id}/cancel does
        var started = Stopwatch.GetTimestamp();
        var cancelled = await Client.GetRequiredService<RunControl>().CancelAsync(runId, "no longer needed");
        await WaitForAsync(gate.CancellationSeen.Task, "the step's token to fire after the cancel");
        TestContext.Current.TestOutputHelper?.WriteLine($"cancel to step token: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        await Poll.UntilAsync(async () => !await Db.KeyExistsAsync(AgentKeys.Lease(runId)), Wait, "the worker to let go of the lease");
        await worker.StopAsync();

        // Assert: cancelled after step 1, with the cancel as the last word of the log
        Assert.True(cancelled.Changed);
        var checkpoint = await CheckpointAsync(runId);
        Assert.Equal(RunStatus.Cancelled, checkpoint.Status);
        Assert.Equal(1, checkpoint.CurrentStep);
        Assert.Equal(["prepare"], checkpoint.Steps.Select(step => step.Name));
        var log = await LogAsync(runId);
        Assert.Equal(LogActions.Cancelled, log[^1].Action);
        Assert.DoesNotContain(log, entry => entry.Action is "wait" or "finish");
        Assert.Equal(0, gate.FinishRuns);
        Assert.Equal((0, 0), await QueueShardAsync(runId));
    }
}
