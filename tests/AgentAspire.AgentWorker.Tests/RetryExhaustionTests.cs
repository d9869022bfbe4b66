using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>A step that keeps failing is retried <c>Worker:StepRetries</c> times, then fails its run for good.</summary>
public sealed class RetryExhaustionTests(ValkeyServerFixture server) : WorkerTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task A_step_that_always_throws_is_retried_then_fails_the_run_with_its_error_and_its_entry_is_dead_lettered()
    {
        // Arrange
        var gate = new StepGate();
        var worker = await StartWorkerAsync(gate, "worker-a", new Dictionary<string, string?> { ["Worker:StepRetries"] = "2" });
        var expectedError = $"{nameof(InvalidOperationException)}: {FailingAgent.Error}";

        // Act
        var runId = await CreateRunAsync(FailingAgent.AgentName);
        var failed = await WaitForStatusAsync(runId, RunStatus.Failed);
        await worker.StopAsync();

        // Assert: two retries logged, then one failure with the step's error
        Assert.Equal(3, gate.FailingAttempts);
        Assert.Equal(expectedError, failed.Error);
        Assert.Equal(0, failed.CurrentStep);
        var log = await LogAsync(runId);
        var retries = log.Where(entry => entry.Action == LogActions.StepRetry).ToList();
        Assert.Equal([1, 2], retries.Select(entry => LogDetailsJson.TryRead<StepRetryDetails>(entry, out var details) ? details.Retry : -1));
        Assert.All(retries, entry => Assert.Contains(FailingAgent.Error, entry.DetailsJson, StringComparison.Ordinal));
        var last = log[^1];
        Assert.Equal(LogActions.Failed, last.Action);
        Assert.True(LogDetailsJson.TryRead<FailedDetails>(last, out var failure));
        Assert.Equal(expectedError, failure.Error);

        // Assert: the entry left the queue for the dead letters, and the lease went with the run
        var dead = Assert.Single(await Db.StreamRangeAsync(AgentKeys.DeadLetters));
        Assert.Equal(runId, (string?)dead["run_id"]);
        Assert.Equal(expectedError, (string?)dead["reason"]);
        Assert.Equal((0, 0), await QueueShardAsync(runId));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(runId)));
    }
}
