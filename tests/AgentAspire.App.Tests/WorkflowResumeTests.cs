using System.Net.Http.Json;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.App.Tests;

/// <summary>The Agent Framework demo end to end: its worker dies mid-workflow, another process finishes it from its last checkpoint.</summary>
[Collection(ShortLeaseCollection.Name)]
public sealed class WorkflowResumeTests(ShortLeaseApp app)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Research_workflow_resumes_from_its_last_superstep_checkpoint_after_the_worker_is_killed()
    {
        // Arrange: a short lease, so the restarted worker takes the dead worker's run over quickly.
        var running = app.Running;
        var agents = await running.Api.GetFromJsonAsync<JsonElement>("/agents", TestContext.Current.CancellationToken);
        var listed = Assert.Single(agents.EnumerateArray(), agent => agent.GetProperty("name").GetString() == "research-workflow");
        var runId = RunIds.NewRunId();
        var question = $"How does a fenced commit stop a zombie worker? ({Guid.NewGuid():N})";
        await running.Store.CreateAsync(new NewRun(runId, "research-workflow", JsonSerializer.Serialize(new { question, stepDelayMs = 1500 }), "workflow-resume-test"));

        // Act: SIGKILL the worker during its second superstep (the first is committed, the second waits its delay).
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.CurrentStep >= 1, RunTimeout, "the first superstep is committed");
        await running.KillWorkerAsync();
        // A loaded machine may commit one more superstep before the kill lands; a dead process commits nothing after it.
        var atKill = (await running.Store.GetAsync(runId))!;
        Assert.InRange(atKill.CurrentStep, 1, 3);
        await running.StartWorkerAsync();
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.Status == RunStatus.Complete, RunTimeout, "the run completes");

        // Assert
        Assert.Equal("workflow", listed.GetProperty("kind").GetString());
        var run = (await running.Store.GetAsync(runId))!;
        // Each superstep is named after the executor that ran in it, as the agent lists them.
        Assert.Equal(["plan", "search", "analyze", "respond", "output"], run.Steps.Select(step => step.Name));
        Assert.Equal(listed.GetProperty("steps").EnumerateArray().Select(step => step.GetString()), run.Steps.Select(step => step.Name));
        Assert.Equal(atKill.Steps[0].ResultJson, run.Steps[0].ResultJson);
        using var answer = JsonDocument.Parse(run.Steps[^1].ResultJson);
        Assert.Equal(question, answer.RootElement.GetProperty("question").GetString());

        // Each superstep was committed once; the second process resumed after the first, from its checkpoint.
        var log = await running.Log.ReadAllAsync(runId, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        foreach (var step in run.Steps)
        {
            Assert.Single(log, entry => entry.Action == step.Name);
        }

        var resumed = Assert.Single(log, entry => entry.Action == "resumed");
        Assert.Equal(atKill.CurrentStep + 1, JsonDocument.Parse(resumed.DetailsJson).RootElement.GetProperty("nextStep").GetInt32());
        Assert.NotEqual(log.First(entry => entry.Action == "plan").Worker, log.First(entry => entry.Action == "output").Worker);
        using var first = JsonDocument.Parse(run.Steps[0].ResultJson);
        using var second = JsonDocument.Parse(run.Steps[1].ResultJson);
        Assert.Equal(first.RootElement.GetProperty("checkpointId").GetString(), second.RootElement.GetProperty("parentId").GetString());

        // Each tool call is logged under the superstep that made it, on either side of the kill.
        var toolSteps = log.Where(entry => entry.Action == "tool_call").Select(entry => run.Steps[entry.Step - 1].Name).Distinct();
        Assert.Equal(["search", "analyze", "respond"], toolSteps);

        // Every tool ran once across both processes: each cache key was computed (a miss) exactly once.
        var misses = ToolCalls.ComputedKeys(log);
        Assert.NotEmpty(misses);
        Assert.Equal(misses.Count, misses.Distinct().Count());

        // The checkpoints live under the run's hash tag and go with it.
        Assert.True(await running.Connection.GetDatabase().KeyExistsAsync(AgentKeys.WorkflowCheckpoints(runId)));
        using var deleted = await running.Api.DeleteAsync($"/runs/{runId}", TestContext.Current.CancellationToken);
        Assert.False(await running.Connection.GetDatabase().KeyExistsAsync(AgentKeys.WorkflowCheckpoints(runId)));
        Assert.False(await running.Connection.GetDatabase().KeyExistsAsync(AgentKeys.WorkflowCheckpointIndex(runId)));
    }
}
