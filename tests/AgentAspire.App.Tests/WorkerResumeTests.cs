using System.Diagnostics;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.App.Tests;

/// <summary>The product's promise end to end: a worker dies mid-run, another process finishes the run from the next step.</summary>
[Collection(ShortLeaseCollection.Name)]
public sealed class WorkerResumeTests(ShortLeaseApp app)
{
    // A question of its own per test run: tool results cached by other tests never count as this run's hits.
    private static readonly string Question = $"How do Valkey streams keep an activity log? ({Guid.NewGuid():N})";
    private static readonly string[] ResearchSteps = ["plan", "search", "analyze", "respond"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Resumes_after_the_worker_process_is_killed_without_calling_any_tool_twice()
    {
        // Arrange: a short lease, so the restarted worker takes the dead worker's run over quickly.
        var running = app.Running;
        var runId = RunIds.NewRunId();
        await running.Store.CreateAsync(new NewRun(runId, "research", JsonSerializer.Serialize(new { question = Question, stepDelayMs = 3000 }), "resume-test"));

        // Act: kill the worker process (no graceful shutdown) once step 2 is committed, then start it again.
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.CurrentStep >= 2, RunTimeout, "step 2 is committed");
        await running.KillWorkerAsync();
        // A loaded machine may commit one more step before the kill lands (3 s steps leave it room for no more than
        // that); a dead process commits nothing after it.
        var committedAtKill = (await running.Store.GetAsync(runId))!.CurrentStep;
        Assert.InRange(committedAtKill, 2, ResearchSteps.Length - 1);
        await running.StartWorkerAsync();
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.Status == RunStatus.Complete, RunTimeout, "the run completes");

        // Assert
        var checkpoint = (await running.Store.GetAsync(runId))!;
        Assert.Equal(ResearchSteps, checkpoint.Steps.Select(step => step.Name));
        var log = await running.Log.ReadAllAsync(runId, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        // Every step result was committed once, and the rest by the second process after a resume at the next step.
        foreach (var step in ResearchSteps)
        {
            Assert.Single(log, entry => entry.Action == step);
        }

        var resumed = Assert.Single(log, entry => entry.Action == "resumed");
        Assert.Equal(committedAtKill + 1, JsonDocument.Parse(resumed.DetailsJson).RootElement.GetProperty("nextStep").GetInt32());
        var firstWorker = log.First(entry => entry.Action == "plan").Worker;
        var secondWorker = log.First(entry => entry.Action == "respond").Worker;
        Assert.NotEqual(firstWorker, secondWorker);

        // Every tool ran once across both processes: each cache key was computed (a miss) exactly once.
        var misses = ToolCalls.ComputedKeys(log);
        Assert.NotEmpty(misses);
        Assert.Equal(misses.Count, misses.Distinct().Count());
    }
}
