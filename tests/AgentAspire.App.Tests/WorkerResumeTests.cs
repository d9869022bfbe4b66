using System.Diagnostics;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.App.Tests;

/// <summary>The product's promise end to end: a worker dies mid-run, another process finishes the run from the next step.</summary>
public sealed class WorkerResumeTests
{
    // A question of its own per test run: tool results cached by other tests never count as this run's hits.
    private static readonly string Question = $"How do Valkey streams keep an activity log? ({Guid.NewGuid():N})";
    private static readonly string[] ResearchSteps = ["plan", "search", "analyze", "respond"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Resumes_after_the_worker_process_is_killed_without_calling_any_tool_twice()
    {
        // Arrange: a short lease, so the restarted worker takes the dead worker's run over quickly.
        await using var running = await RunningApp.StartAsync([], builder =>
            builder.CreateResourceBuilder<ProjectResource>("worker").WithEnvironment("AgentState__LeaseDuration", "00:00:03"));
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

    [LinuxFact]
    public async Task A_worker_told_to_stop_hands_its_run_back_and_the_next_worker_continues_it()
    {
        // Arrange: a lease far longer than the test, so only a hand-back (not an expiry) lets the run go on.
        await using var running = await RunningApp.StartAsync([], builder =>
            builder.CreateResourceBuilder<ProjectResource>("worker").WithEnvironment("AgentState__LeaseDuration", "00:10:00"));
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

    [Fact]
    public async Task Two_worker_replicas_never_run_steps_of_one_run_at_the_same_time()
    {
        // Arrange: two replicas, each taking at most three runs at once, so both get work.
        await using var running = await RunningApp.StartAsync(["Worker:Replicas=2"], builder =>
            builder.CreateResourceBuilder<ProjectResource>("worker").WithEnvironment("Worker__MaxConcurrentRuns", "3"));
        var runIds = Enumerable.Range(0, 24).Select(_ => RunIds.NewRunId()).ToList();

        // Act
        await Task.WhenAll(runIds.Select((runId, i) => running.Store.CreateAsync(new NewRun(runId, "research",
            JsonSerializer.Serialize(new { question = $"{Question} ({i})", stepDelayMs = 100 }), $"replicas-{i}"))));
        await Poll.UntilAsync(
            async () => (await Task.WhenAll(runIds.Select(running.Store.GetAsync))).All(run => run?.Status == RunStatus.Complete),
            RunTimeout, "every run completes");

        // Assert: each run was claimed once and all its steps were committed by that one worker, in order.
        var workers = new HashSet<string>();
        foreach (var runId in runIds)
        {
            var log = await running.Log.ReadAllAsync(runId, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
            Assert.Single(log, entry => entry.Action is "started" or "resumed");
            var steps = log.Where(entry => ResearchSteps.Contains(entry.Action)).ToList();
            Assert.Equal(ResearchSteps, steps.Select(entry => entry.Action));
            workers.Add(Assert.Single(steps.Select(entry => entry.Worker).Distinct()));
        }

        Assert.Equal(2, workers.Count);
    }
}
