using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.App.Tests;

/// <summary>Two worker replicas share the queue, and each run is worked on by one of them only.</summary>
public sealed class WorkerReplicaTests
{
    // A question of its own per test run: tool results cached by other tests never count as this run's hits.
    private static readonly string Question = $"How do Valkey streams keep an activity log? ({Guid.NewGuid():N})";
    private static readonly string[] ResearchSteps = ["plan", "search", "analyze", "respond"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

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
