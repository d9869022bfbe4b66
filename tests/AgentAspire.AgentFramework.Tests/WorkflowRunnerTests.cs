using System.Text.Json;
using AgentAspire.AgentFramework.Research;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.Agents.Chat;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentState.Tools;
using AgentAspire.Agents.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentFramework.Tests;

/// <summary>The research workflow run by <see cref="WorkflowRunner"/> against a real valkey-server, as the worker runs it.</summary>
public sealed class WorkflowRunnerTests(ValkeyServerFixture server) : IClassFixture<ValkeyServerFixture>, IAsyncLifetime
{
    private readonly ServiceProvider _services = server.CreateServices();

    private RunStore Store => _services.GetRequiredService<RunStore>();

    private WorkflowRunner Runner => new(
        _services.GetRequiredService<AgentState.Workflows.WorkflowCheckpoints>(), _services.GetRequiredService<ToolCache>(), Options.Create(new WorkflowOptions()));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await server.FlushAsync();

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task Runs_to_completion_with_every_superstep_a_committed_step_and_the_output_last()
    {
        // Arrange
        var runId = RunIds.NewRunId();
        var lease = await CreateAndClaimAsync(runId, """{"question":"How does a checkpoint survive a crash?"}""");
        var tools = new CacheToolRunner(_services.GetRequiredService<ToolCache>(), runId);

        // Act
        var outcome = await RunAsync(lease, tools, Cancellation);

        // Assert
        Assert.Equal(AgentRunOutcome.Completed, outcome);
        var run = (await Store.GetAsync(runId))!;
        Assert.Equal(RunStatus.Complete, run.Status);
        // Each superstep is named after the executor that ran in it: the research steps, then the output.
        Assert.Equal(["plan", "search", "analyze", "respond", WorkflowRunner.OutputStepName], run.Steps.Select(step => step.Name));
        Assert.Equal(Agent().StepNames, run.Steps.Select(step => step.Name));
        using var answer = JsonDocument.Parse(run.Steps[^1].ResultJson);
        Assert.Equal("How does a checkpoint survive a crash?", answer.RootElement.GetProperty("question").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.RootElement.GetProperty("answer").GetString()));
        Assert.Equal(run.Steps.Count - 1, (await new ValkeyCheckpointStore(_services.GetRequiredService<AgentState.Workflows.WorkflowCheckpoints>()).RetrieveIndexAsync(runId)).Count());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_new_claim_resumes_from_the_last_committed_superstep_and_computes_no_tool_key_twice()
    {
        // Arrange: the first claim stops (as a killed worker would) once two supersteps are committed
        var runId = RunIds.NewRunId();
        var first = await CreateAndClaimAsync(runId, """{"question":"What does the tool cache do?","stepDelayMs":300}""");
        var tools = new CacheToolRunner(_services.GetRequiredService<ToolCache>(), runId);
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        var running = RunAsync(first, tools, crash.Token);
        await Poll.UntilAsync(async () => (await Store.GetAsync(runId))!.CurrentStep >= 2, TimeSpan.FromSeconds(30), "two supersteps to be committed");

        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var committedBefore = (await Store.GetAsync(runId))!.Steps.Select(step => step.ResultJson).ToArray();

        // Act: its lease expires and another worker claims the run
        await server.Database.KeyDeleteAsync(AgentKeys.Lease(runId));
        await _services.GetRequiredService<RunQueue>().EnqueueAsync(runId, null);
        var second = await ClaimAsync(runId, "worker-b");
        var outcome = await RunAsync(second, tools, Cancellation);

        // Assert
        Assert.Equal(AgentRunOutcome.Completed, outcome);
        var run = (await Store.GetAsync(runId))!;
        Assert.Equal(RunStatus.Complete, run.Status);
        Assert.Equal(committedBefore, run.Steps.Take(committedBefore.Length).Select(step => step.ResultJson));
        Assert.Equal(WorkflowRunner.OutputStepName, run.Steps[^1].Name);
        Assert.NotEmpty(tools.Computed);
        Assert.Equal(tools.Computed.Count, (await CachedKeysAsync()).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_request_of_the_workflow_makes_the_run_wait_and_the_approve_action_answers_it()
    {
        // Arrange
        var runId = RunIds.NewRunId();
        var lease = await CreateAndClaimAsync(runId, """{"question":"Why fence a lease?","requireApproval":true}""");
        var tools = new CacheToolRunner(_services.GetRequiredService<ToolCache>(), runId);
        var waited = await RunAsync(lease, tools, Cancellation);
        var waiting = (await Store.GetAsync(runId))!;
        var step = Assert.Single(waiting.Approvals).Step;

        // Act
        await _services.GetRequiredService<RunControl>().DecideAsync(runId, step, approved: true, comment: "go ahead");
        var resumed = await ClaimAsync(runId, "worker-b");
        var outcome = await RunAsync(resumed, tools, Cancellation);

        // Assert
        Assert.Equal(AgentRunOutcome.Waiting, waited);
        Assert.Equal(RunStatus.Waiting, waiting.Status);
        Assert.Equal(AgentRunOutcome.Completed, outcome);
        var run = (await Store.GetAsync(runId))!;
        Assert.Equal(RunStatus.Complete, run.Status);
        // The request port's executor runs twice: once to ask, once to deliver the answer.
        Assert.Equal(["plan", "search", "analyze", "ask", "approval", "approval", "decide", "respond", WorkflowRunner.OutputStepName], run.Steps.Select(s => s.Name));
        using var answer = JsonDocument.Parse(run.Steps[^1].ResultJson);
        Assert.Equal("go ahead", answer.RootElement.GetProperty("approval").GetProperty("comment").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_fork_past_the_first_step_resumes_from_the_checkpoint_of_the_last_step_it_keeps()
    {
        // Arrange: a completed run
        var runId = RunIds.NewRunId();
        var lease = await CreateAndClaimAsync(runId, """{"question":"Can a fork reuse a checkpoint?"}""");
        var tools = new CacheToolRunner(_services.GetRequiredService<ToolCache>(), runId);
        Assert.Equal(AgentRunOutcome.Completed, await RunAsync(lease, tools, Cancellation));
        var source = (await Store.GetAsync(runId))!;

        // Act: fork it from step 3 and run the fork
        var forkId = RunIds.NewRunId();
        await _services.GetRequiredService<RunControl>().ForkAsync(runId, fromStep: 3, forkId);
        var forked = await ClaimAsync(forkId, "worker-b");
        var outcome = await RunAsync(forked, tools, Cancellation);

        // Assert: steps 1 and 2 kept, the rest run again from step 2's checkpoint, with the same answer
        Assert.Equal(AgentRunOutcome.Completed, outcome);
        var fork = (await Store.GetAsync(forkId))!;
        Assert.Equal(RunStatus.Complete, fork.Status);
        Assert.Equal(source.Steps.Take(2).Select(step => step.ResultJson), fork.Steps.Take(2).Select(step => step.ResultJson));
        Assert.Equal(source.Steps.Select(step => step.Name), fork.Steps.Select(step => step.Name));
        Assert.Equal(source.Steps[^1].ResultJson, fork.Steps[^1].ResultJson);
        var checkpoints = _services.GetRequiredService<AgentState.Workflows.WorkflowCheckpoints>();
        var sourceIndex = await checkpoints.ListAsync(runId);
        var forkIndex = await checkpoints.ListAsync(forkId);
        Assert.Equal(sourceIndex.Take(2), forkIndex.Take(2));
        Assert.Equal(fork.Steps.Count - 1, forkIndex.Count);
        Assert.True(await server.Database.KeyTimeToLiveAsync(AgentKeys.WorkflowCheckpoints(forkId)) > TimeSpan.Zero);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_claim_that_finds_the_last_superstep_committed_but_not_the_output_runs_that_superstep_again_for_it()
    {
        // Arrange: a fork that keeps every superstep but not the output step stands where a claim is left that ended
        // between the last superstep's checkpoint and the output step
        var runId = RunIds.NewRunId();
        var lease = await CreateAndClaimAsync(runId, """{"question":"Which output does the last superstep yield?"}""");
        var tools = new CacheToolRunner(_services.GetRequiredService<ToolCache>(), runId);
        Assert.Equal(AgentRunOutcome.Completed, await RunAsync(lease, tools, Cancellation));
        var source = (await Store.GetAsync(runId))!;
        var forkId = RunIds.NewRunId();
        await _services.GetRequiredService<RunControl>().ForkAsync(runId, fromStep: source.CurrentStep, forkId);
        var computedBefore = tools.Computed.Count;

        // Act
        var outcome = await RunAsync(await ClaimAsync(forkId, "worker-b"), tools, Cancellation);

        // Assert: the output is the source's, and the superstep run again took its tool results from the cache
        Assert.Equal(AgentRunOutcome.Completed, outcome);
        var fork = (await Store.GetAsync(forkId))!;
        Assert.Equal(source.Steps.Select(step => step.Name), fork.Steps.Select(step => step.Name));
        Assert.Equal(source.Steps[^1].ResultJson, fork.Steps[^1].ResultJson);
        Assert.Equal(computedBefore, tools.Computed.Count);
    }

    // As the worker hands a claim to the runner of the agent's kind: the input read once, the tools of each step.
    private Task<AgentRunOutcome> RunAsync(RunLease lease, CacheToolRunner tools, CancellationToken cancellationToken)
    {
        var agent = Agent();
        using var input = JsonDocument.Parse(lease.Checkpoint.InputJson);
        var run = new AgentRun(lease, agent, input.RootElement.Clone(), agent.ReadInput(input.RootElement), new OfflineChatClient(), _ => tools);
        return Runner.RunAsync(run, cancellationToken);
    }

    private static ResearchWorkflowAgent Agent() => new(TimeProvider.System, new WebSearchTool(), new TextStatsTool(), new GlossaryTool());

    private async Task<List<string>> CachedKeysAsync()
    {
        var keys = new List<string>();
        foreach (var primary in server.Primaries)
        {
            await foreach (var key in primary.KeysAsync(pattern: "tool:cache:*"))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }

    private async Task<RunLease> CreateAndClaimAsync(string runId, string input)
    {
        await Store.CreateAsync(new NewRun(runId, ResearchWorkflowAgent.AgentName, input, "hash-" + runId));
        return await ClaimAsync(runId, "worker-a");
    }

    private async Task<RunLease> ClaimAsync(string runId, string worker)
    {
        var entry = (await _services.GetRequiredService<RunQueue>().ReadAsync(worker, 100)).Single(e => e.RunId == runId);
        var claim = await _services.GetRequiredService<RunLeases>().ClaimAsync(entry, worker);
        return claim.Lease ?? throw new InvalidOperationException($"Run {runId} was not claimed: {claim.Outcome}.");
    }
}
