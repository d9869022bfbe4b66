using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Replays;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>
/// Replays of recorded runs against changed code, on a real valkey-server with the test model server: the model and
/// the tools answered from the record, a divergence where the code now asks something else, a changed result told
/// apart from a changed call, and live calls only after the step a live-after replay names.
/// </summary>
public sealed class ReplayTests(ValkeyServerFixture server) : WorkerTest(server)
{
    private readonly ReplayableCode _code = new();

    private RunControl Control => Client.GetRequiredService<RunControl>();

    private RunComparer Comparer => Client.GetRequiredService<RunComparer>();

    private async Task<(TestModelServer Model, StepGate Gate, string RunId)> RecordAsync()
    {
        var model = TestModelServer.Start();
        var gate = new StepGate();
        await StartWorkerAsync(gate, "w1", new Dictionary<string, string?> { ["ConnectionStrings:llm"] = model.OpenAIConnectionString() },
            agents => agents.AddAgent<ReplayableAgent>().Services.AddSingleton(_code));
        var runId = await CreateRunAsync(ReplayableAgent.AgentName, """{"text":"How do leases work?"}""");
        await WaitForStatusAsync(runId, RunStatus.Complete);
        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(1, gate.ToolCalls);
        return (model, gate, runId);
    }

    private async Task<string> ReplayAsync(string runId, string mode = ReplayModes.Recorded, int afterStep = 0)
    {
        var started = await Control.ReplayAsync(runId, mode, afterStep, RunIds.NewRunId());
        Assert.Equal(ReplayStartOutcome.Created, started.Outcome);
        return started.Created!.RunId;
    }

    [LinuxFact]
    public async Task Unchanged_code_replays_identical_with_no_model_or_tool_call()
    {
        var (model, gate, original) = await RecordAsync();
        await using var _ = model;

        var replay = await ReplayAsync(original);
        await WaitForStatusAsync(replay, RunStatus.Complete);

        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(1, gate.ToolCalls);
        var comparison = (await Comparer.CompareAsync(original, replay))!;
        Assert.Equal(ReplayOutcomes.Identical, comparison.Outcome);
        Assert.All(comparison.Steps, step => Assert.True(step.Equal));
        Assert.Null(comparison.FirstDivergence);
        var log = await LogAsync(replay);
        Assert.Equal(2, ModelCalls(log).Count(call => call.GetProperty("recorded").GetBoolean()));
        // The record answered the tool, not the cache.
        var tool = Assert.Single(log, entry => entry.Action == LogActions.ToolCall);
        Assert.True(JsonDocument.Parse(tool.DetailsJson).RootElement.GetProperty("recorded").GetBoolean());
        Assert.Equal(0, (await CheckpointAsync(replay)).Usage.Calls);
        Assert.Equal(original, (await CheckpointAsync(replay)).Replay!.Of);
    }

    [LinuxFact]
    public async Task A_changed_prompt_diverges_at_its_step_and_turn_with_both_requests()
    {
        var (model, _, original) = await RecordAsync();
        await using var __ = model;
        _code.Prompt = "Answer at length";

        var replay = await ReplayAsync(original);
        await WaitForStatusAsync(replay, RunStatus.Diverged);

        Assert.Equal(2, model.Requests.Count);
        var entry = Assert.Single(await LogAsync(replay), entry => entry.Action == LogActions.Diverged);
        Assert.True(LogDetailsJson.TryRead<DivergedDetails>(entry, out var details));
        Assert.Equal((1, 1), (details.Step, details.Turn));
        Assert.Contains("Answer briefly", details.Recorded!.Value.GetProperty("last").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Answer at length", details.Requested.GetProperty("last").GetProperty("text").GetString(), StringComparison.Ordinal);
        var comparison = (await Comparer.CompareAsync(original, replay))!;
        Assert.Equal(ReplayOutcomes.Diverged, comparison.Outcome);
        Assert.Equal((1, (int?)1), (comparison.FirstDivergence!.Step, comparison.FirstDivergence.Turn));
    }

    [LinuxFact]
    public async Task A_changed_result_with_the_same_calls_differs_with_the_diff()
    {
        var (model, gate, original) = await RecordAsync();
        await using var _ = model;
        _code.Suffix = " twice";

        var replay = await ReplayAsync(original);
        await WaitForStatusAsync(replay, RunStatus.Complete);

        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(1, gate.ToolCalls);
        var comparison = (await Comparer.CompareAsync(original, replay))!;
        Assert.Equal(ReplayOutcomes.Differs, comparison.Outcome);
        var changed = Assert.Single(comparison.Steps, step => !step.Equal);
        Assert.Equal("count", changed.Name);
        var difference = Assert.Single(changed.Differences);
        Assert.Equal("$.note", difference.Path);
        Assert.Equal(("counted", "counted twice"), (difference.A!.Value.GetString(), difference.B!.Value.GetString()));
        Assert.Equal(2, comparison.FirstDivergence!.Step);
        Assert.Null(comparison.FirstDivergence.Turn);
    }

    [LinuxFact]
    public async Task Live_after_a_step_calls_the_model_only_after_it()
    {
        var (model, _, original) = await RecordAsync();
        await using var _ = model;

        var replay = await ReplayAsync(original, ReplayModes.LiveAfter, afterStep: 2);
        await WaitForStatusAsync(replay, RunStatus.Complete);

        Assert.Equal(3, model.Requests.Count);
        Assert.StartsWith("Summarize:", model.Requests[^1].LastUserText, StringComparison.Ordinal);
        var calls = ModelCalls(await LogAsync(replay));
        Assert.Equal([true, false], calls.Select(call => call.GetProperty("recorded").GetBoolean()));
        Assert.Equal(1, (await CheckpointAsync(replay)).Usage.Calls);
    }

    [LinuxFact]
    public async Task Only_an_ended_run_is_replayed()
    {
        var runId = await CreateRunAsync(ReplayableAgent.AgentName, """{"text":"queued"}""");

        var started = await Control.ReplayAsync(runId, ReplayModes.Recorded, 0, RunIds.NewRunId());

        Assert.Equal(ReplayStartOutcome.NotEnded, started.Outcome);
        Assert.Equal(ReplayStartOutcome.NotFound, (await Control.ReplayAsync("no_such_run", ReplayModes.Recorded, 0, RunIds.NewRunId())).Outcome);
    }

    private static List<JsonElement> ModelCalls(IEnumerable<LogEntry> log) =>
        log.Where(entry => entry.Action == LogActions.ModelCall).Select(entry => JsonDocument.Parse(entry.DetailsJson).RootElement).ToList();
}
