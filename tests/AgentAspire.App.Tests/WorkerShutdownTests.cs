using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.App.Tests;

/// <summary>A worker stopped the way a platform stops a replica (SIGTERM) hands its run back, and the next worker continues it.</summary>
[Collection(AppCollection.Name)]
public sealed class WorkerShutdownTests(AppFixture fixture)
{
    // A question of its own per test run: tool results cached by other tests never count as this run's hits.
    private static readonly string Question = $"How does a worker hand a run back? ({Guid.NewGuid():N})";
    private static readonly string[] ResearchSteps = ["plan", "search", "analyze", "respond"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [LinuxFact]
    public async Task A_worker_told_to_stop_hands_its_run_back_and_the_next_worker_continues_it()
    {
        // Arrange: the shared app's lease (30 s) outlasts the stop by far, so only a hand-back (not an expiry) has the run
        // queued with no lease right after the worker is gone.
        var running = fixture.Running;
        var runId = RunIds.NewRunId();
        await running.Store.CreateAsync(new NewRun(runId, "research", JsonSerializer.Serialize(new { question = Question, stepDelayMs = 1500 }), "shutdown-test"));
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.CurrentStep >= 1, RunTimeout, "step 1 is committed");

        // Act: SIGTERM, as a platform stopping a replica sends; then a new worker.
        await running.TerminateWorkerAsync();
        var released = (await running.Store.GetAsync(runId))!;
        var leaseHeld = await running.Connection.GetDatabase().KeyExistsAsync(AgentKeys.Lease(runId));
        await running.StartWorkerAsync();
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.Status == RunStatus.Complete, RunTimeout, "the run completes");

        // Assert: handed back queued with its lease released, then resumed after the last committed step.
        Assert.Equal(RunStatus.Queued, released.Status);
        Assert.False(leaseHeld);
        var log = await running.Log.ReadAllAsync(runId, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Single(log, entry => entry.Action == "released");
        var resumed = Assert.Single(log, entry => entry.Action == "resumed");
        Assert.Equal(released.CurrentStep + 1, JsonDocument.Parse(resumed.DetailsJson).RootElement.GetProperty("nextStep").GetInt32());
        foreach (var step in ResearchSteps)
        {
            Assert.Single(log, entry => entry.Action == step);
        }
    }
}
