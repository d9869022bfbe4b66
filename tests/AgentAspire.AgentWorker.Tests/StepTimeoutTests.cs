using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;

namespace AgentAspire.AgentWorker.Tests;

/// <summary><c>Worker:StepTimeout</c> bounds one attempt of a step: a step that runs longer is cancelled and counts as a failed attempt.</summary>
public sealed class StepTimeoutTests(ValkeyServerFixture server) : WorkerTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task A_step_running_past_the_step_timeout_is_cancelled_retried_and_then_fails_the_run()
    {
        // Arrange: a step that waits on a gate the test never opens; 300 ms per attempt, one retry
        var gate = new StepGate();
        var worker = await StartWorkerAsync(gate, "worker-a", new Dictionary<string, string?>
        {
            ["Worker:StepTimeout"] = "00:00:00.300",
            ["Worker:StepRetries"] = "1",
        });

        // Act
        var runId = await CreateRunAsync(GateAgent.AgentName);
        var failed = await WaitForStatusAsync(runId, RunStatus.Failed);
        await worker.StopAsync();

        // Assert: the step saw its token fire, ran twice (one retry), and the run failed with the timeout as its error
        Assert.True(gate.CancellationSeen.Task.IsCompleted, "the step's cancellation token never fired");
        Assert.Equal(2, gate.WaitRuns);
        Assert.Contains("Timeout", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, failed.CurrentStep);
        var retry = Assert.Single(await LogAsync(runId), entry => entry.Action == LogActions.StepRetry);
        Assert.Contains("Timeout", retry.DetailsJson, StringComparison.Ordinal);
    }
}
