using System.Text.Json;
using AgentAspire.AgentFramework;
using AgentAspire.AgentFramework.Research;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.Agents.Running;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>
/// The worker runs every kind of agent through the runner of its kind, registered with the agents: a kind it has
/// never heard of runs end to end, workflows log as readably as steps, and a badly declared agent stops it at start.
/// </summary>
public sealed class AgentKindTests(ValkeyServerFixture server) : WorkerTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task A_kind_of_agent_registered_with_its_runner_runs_end_to_end_on_an_unchanged_worker()
    {
        // Arrange: the tally kind, agent and runner, added as an app adds its agents
        var gate = new StepGate();
        var worker = await StartWorkerAsync(gate, "worker-a", agents: agents => agents.AddAgent<TallyAgent>().AddRunner<TallyRunner>());

        // Act
        var runId = await CreateRunAsync(TallyAgent.AgentName, """{"text":"hello valkey"}""");
        var completed = await WaitForStatusAsync(runId, RunStatus.Complete);

        // Assert: its runner ran it, each step committed with its tool call logged as a tool_call of that step
        Assert.Equal(1, worker.Host.Services.GetServices<IAgentRunner>().OfType<TallyRunner>().Single().Runs);
        Assert.Equal(["whole", "first-word"], completed.Steps.Select(step => step.Name));
        Assert.Equal(["11", "5"], completed.Steps.Select(step => step.ResultJson));
        var log = await LogAsync(runId);
        Assert.Equal(
            [LogActions.Queued, LogActions.Started, LogActions.ToolCall, "whole", LogActions.ToolCall, "first-word", LogActions.Complete],
            log.Select(entry => entry.Action));
        Assert.Equal([1, 2], log.Where(entry => entry.Action == LogActions.ToolCall).Select(entry => entry.Step));
        Assert.Equal(2, gate.ToolCalls);
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_kind_gets_its_input_read_by_the_agent_and_a_stored_input_it_refuses_fails_the_run_with_its_message()
    {
        // Arrange
        var gate = new StepGate();
        var worker = await StartWorkerAsync(gate, "worker-a", agents: agents => agents.AddAgent<TallyAgent>().AddRunner<TallyRunner>());

        // Act: an input the API would have refused, stored as an older app version might have
        var runId = await CreateRunAsync(TallyAgent.AgentName, """{"txt":"hello"}""");
        var failed = await WaitForStatusAsync(runId, RunStatus.Failed);

        // Assert: refused before the runner ran, with the agent's own message
        Assert.Contains("Unknown property 'txt'; allowed: text.", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, worker.Host.Services.GetServices<IAgentRunner>().OfType<TallyRunner>().Single().Runs);
        Assert.Equal(0, gate.ToolCalls);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_workflow_run_names_each_step_after_its_executors_and_logs_each_tool_call_under_the_step_that_made_it()
    {
        // Arrange: the research workflow, added with the same one line as in the app
        var worker = await StartWorkerAsync(new StepGate(), "worker-a", agents: agents => agents
            .AddWorkflowAgent<ResearchWorkflowAgent>()
            .AddTool<WebSearchTool>()
            .AddTool<TextStatsTool>()
            .AddTool<GlossaryTool>());

        // Act
        var runId = await CreateRunAsync(ResearchWorkflowAgent.AgentName, """{"question":"How does a fenced commit stop a zombie worker?"}""");
        var completed = await WaitForStatusAsync(runId, RunStatus.Complete);

        // Assert: the steps read like a step agent's, and each tool call sits under the superstep that made it
        Assert.Equal(["plan", "search", "analyze", "respond", WorkflowRunner.OutputStepName], completed.Steps.Select(step => step.Name));
        var log = await LogAsync(runId);
        var stepOf = completed.Steps.ToDictionary(step => step.Name, step => step.Step);
        var toolSteps = log.Where(entry => entry.Action == LogActions.ToolCall)
            .Select(entry => (Tool: JsonDocument.Parse(entry.DetailsJson).RootElement.GetProperty("tool").GetString(), entry.Step))
            .Distinct()
            .ToArray();
        Assert.Equal([("web_search", stepOf["search"]), ("text_stats", stepOf["analyze"]), ("lookup_glossary", stepOf["respond"])], toolSteps);
        var entries = log.ToList();
        foreach (var call in entries.Where(entry => entry.Action == LogActions.ToolCall))
        {
            var commit = entries.FindIndex(entry => entry.Action == completed.Steps[call.Step - 1].Name);
            Assert.True(entries.IndexOf(call) < commit, $"The tool_call of step {call.Step} is logged after that step's commit.");
        }

        Assert.Contains(worker.Logs.Lines, line => line.Contains($"Run {runId} completed.", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_worker_with_an_agent_whose_steps_repeat_a_name_refuses_to_start_naming_the_agent_and_the_step()
    {
        // Arrange
        var worker = await WorkerHost.CreateAsync(Server, new StepGate(), "worker-a", agents: agents => agents.AddAgent<RepeatedStepAgent>());
        await using var _ = worker;

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(worker.StartAsync);

        // Assert
        Assert.Equal("Agent 'repeated-step': two steps are named 'count'; step names must be unique within an agent.", error.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_worker_with_an_agent_of_a_kind_that_no_runner_runs_refuses_to_start_naming_the_agent_and_its_kind()
    {
        // Arrange: the tally agent without its runner
        var worker = await WorkerHost.CreateAsync(Server, new StepGate(), "worker-a", agents: agents => agents.AddAgent<TallyAgent>());
        await using var _ = worker;

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(worker.StartAsync);

        // Assert
        Assert.StartsWith("Agent 'tally' is of kind 'tally', which no runner in this worker runs (kinds with a runner: steps)", error.Message, StringComparison.Ordinal);
    }
}
