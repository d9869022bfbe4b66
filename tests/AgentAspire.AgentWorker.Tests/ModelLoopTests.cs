using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.Agents.ResearchLoop;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>
/// The durable model loop against a real valkey-server and the test model server: every turn and tool result
/// journaled, a resumed loop answered from its journal, usage summed, budgets and approvals that pause the run.
/// </summary>
public sealed class ModelLoopTests(ValkeyServerFixture server) : WorkerTest(server)
{
    private static readonly string[] ResearchTools = [WebSearchTool.ToolName, TextStatsTool.ToolName, GlossaryTool.ToolName];

    // Calls each research tool once, one per turn, then answers: a four-turn loop.
    private static ModelReply ResearchScript(ModelRequest request)
    {
        var results = ToolResults(request);
        if (results < ResearchTools.Length)
        {
            var tool = ResearchTools[results];
            var arguments = tool == WebSearchTool.ToolName ? """{"query":"resume after a crash"}""" : """{"text":"A run resumes from its checkpoint after a crash."}""";
            return new ModelReply("", InputTokens: 100 + (10 * results), OutputTokens: 7, CachedInputTokens: 40, [new ModelToolCall($"call_{results + 1}", tool, arguments)]);
        }

        return new ModelReply("A run resumes at the step after its last checkpoint.", InputTokens: 160, OutputTokens: 12);
    }

    private static int ToolResults(ModelRequest request) =>
        request.Body.GetProperty("messages").EnumerateArray().Count(message => message.GetProperty("role").GetString() == "tool");

    private static Action<AgentsBuilder> ResearchLoop => agents => agents
        .AddAgent<ResearchLoopAgent>().AddTool<WebSearchTool>().AddTool<TextStatsTool>().AddTool<GlossaryTool>();

    private static Dictionary<string, string?> ModelSettings(TestModelServer model) => new()
    {
        ["ConnectionStrings:llm"] = model.OpenAIConnectionString(),
        ["Models:Prices:test-model:Input"] = "2",
        ["Models:Prices:test-model:Output"] = "10",
        ["Models:Prices:test-model:CachedInput"] = "0.5",
    };

    [LinuxFact]
    public async Task Loop_CallsToolsTurnByTurn_AndSumsEveryModelCallIntoTheCheckpoint()
    {
        await using var model = TestModelServer.Start(ResearchScript);
        await StartWorkerAsync(new StepGate(), "w1", ModelSettings(model), ResearchLoop);
        var runId = await CreateRunAsync(ResearchLoopAgent.AgentName, """{"question":"How does a run resume after a crash?"}""");

        var run = await WaitForStatusAsync(runId, RunStatus.Complete);

        Assert.Equal(4, model.Requests.Count);
        var result = JsonDocument.Parse(Assert.Single(run.Steps).ResultJson).RootElement;
        Assert.Equal("A run resumes at the step after its last checkpoint.", result.GetProperty("answer").GetString());
        Assert.Equal(ResearchTools, result.GetProperty("toolCalls").EnumerateArray().Select(call => call.GetProperty("tool").GetString()));
        var calls = ModelCalls(await LogAsync(runId));
        Assert.Equal(4, calls.Count);
        Assert.All(calls, call => Assert.False(call.GetProperty("replayed").GetBoolean()));
        var expected = new ModelUsage(
            calls.Sum(call => call.GetProperty("inputTokens").GetInt64()),
            calls.Sum(call => call.GetProperty("outputTokens").GetInt64()),
            calls.Sum(call => call.GetProperty("cachedInputTokens").GetInt64()),
            (long)(calls.Sum(call => call.GetProperty("cost").GetDecimal()) * 1_000_000m),
            Calls: 4);
        Assert.Equal(expected, run.Usage);
        Assert.Equal(expected, run.StepUsage[1]);
        // 490 input tokens of which 120 cached, 33 output: 370 × 2 + 120 × 0.5 + 33 × 10 millionths.
        Assert.Equal((370 * 2) + 60 + (33 * 10), run.Usage.CostMicros);
        Assert.Equal(7, await Db.HashLengthAsync(AgentKeys.Calls(runId)));
        Assert.InRange((await Db.KeyTimeToLiveAsync(AgentKeys.Calls(runId)))!.Value, TimeSpan.FromHours(1), TimeSpan.FromHours(24));
    }

    [LinuxFact]
    public async Task Loop_ResumedOnAnotherWorker_ContinuesFromItsJournal_WithoutAskingTheModelOrToolsAgain()
    {
        await using var model = TestModelServer.Start(ResearchScript);
        var first = await StartWorkerAsync(new StepGate(), "w1", ModelSettings(model), ResearchLoop);
        var runId = await CreateRunAsync(ResearchLoopAgent.AgentName, """{"question":"How does a run resume after a crash?","turnDelayMs":1500}""");
        await Poll.UntilAsync(async () => ModelCalls(await LogAsync(runId)).Count >= 2, Wait, "two model turns");
        await first.StopAsync();
        Assert.Equal(RunStatus.Queued, (await CheckpointAsync(runId)).Status);
        var answered = model.Requests.Count;

        await StartWorkerAsync(new StepGate(), "w2", ModelSettings(model), ResearchLoop);
        var run = await WaitForStatusAsync(runId, RunStatus.Complete);

        Assert.Equal(4, model.Requests.Count);
        var log = await LogAsync(runId);
        var calls = ModelCalls(log);
        Assert.Equal(answered, calls.Count(call => call.GetProperty("replayed").GetBoolean()));
        Assert.Equal(4, calls.Count(call => !call.GetProperty("replayed").GetBoolean()));
        var tools = log.Where(entry => entry.Action == LogActions.ToolCall).Select(entry => JsonDocument.Parse(entry.DetailsJson).RootElement).ToList();
        Assert.Equal(3, tools.Count(tool => !(tool.TryGetProperty("replayed", out var replayed) && replayed.GetBoolean())));
        Assert.Equal(4, run.Usage.Calls);
    }

    [LinuxFact]
    public async Task Budget_Crossed_PausesWithTheSpend_AndAnApprovalWithAHigherBudgetCompletes()
    {
        await using var model = TestModelServer.Start(ResearchScript);
        await StartWorkerAsync(new StepGate(), "w1", ModelSettings(model), ResearchLoop);
        var runId = RunIds.NewRunId();
        await Store.CreateAsync(new NewRun(runId, ResearchLoopAgent.AgentName, """{"question":"Budgets?"}""", "hash") { Budget = new RunBudget(200, null) });

        var waiting = await WaitForStatusAsync(runId, RunStatus.Waiting);

        // The first call (107 tokens) stays under 200; the second (117 more) crosses it, and the run stops right after.
        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(224, waiting.Usage.TotalTokens);
        var prompt = Assert.Single(waiting.Approvals).Prompt!;
        Assert.Contains("224 tokens", prompt, StringComparison.Ordinal);
        Assert.Contains("200 tokens", prompt, StringComparison.Ordinal);

        var control = Client.GetRequiredService<RunControl>();
        Assert.True((await control.DecideAsync(runId, 1, approved: true, "go on", new RunBudget(10_000, null))).Changed);
        var run = await WaitForStatusAsync(runId, RunStatus.Complete);

        Assert.Equal(4, model.Requests.Count);
        Assert.Equal(new RunBudget(10_000, null), run.Budget);
        Assert.Equal(4, run.Usage.Calls);
    }

    [LinuxFact]
    public async Task Budget_Reached_BeforeACall_IsNotOverspent_AndARejectionFailsTheRun()
    {
        await using var model = TestModelServer.Start(ResearchScript);
        await StartWorkerAsync(new StepGate(), "w1", ModelSettings(model), ResearchLoop);
        var runId = RunIds.NewRunId();
        // Cost budget: the first call costs 80+… millionths, so the run stops after it.
        await Store.CreateAsync(new NewRun(runId, ResearchLoopAgent.AgentName, """{"question":"Budgets?"}""", "hash") { Budget = new RunBudget(null, 100) });

        var waiting = await WaitForStatusAsync(runId, RunStatus.Waiting);
        Assert.Single(model.Requests);
        Assert.True(waiting.Usage.CostMicros > 100);

        var control = Client.GetRequiredService<RunControl>();
        Assert.True((await control.DecideAsync(runId, 1, approved: false, "too dear")).Changed);
        var failed = await WaitForStatusAsync(runId, RunStatus.Failed);

        Assert.Single(model.Requests);
        Assert.Contains("too dear", failed.Error, StringComparison.Ordinal);
    }

    [LinuxFact]
    public async Task ToolThatAsksFirst_RunsOnceWhenApproved_AndARefusalIsHandedToTheModel()
    {
        static ModelReply MailScript(ModelRequest request) => ToolResults(request) == 0
            ? new ModelReply("", 20, 5, ToolCalls: [new ModelToolCall("call_1", "send_mail", """{"to":"ops@example.com","body":"done"}""")])
            : new ModelReply("Finished: " + request.Body.GetProperty("messages").EnumerateArray().Last().GetProperty("content"), 30, 5);
        await using var model = TestModelServer.Start(MailScript);
        var worker = await StartWorkerAsync(new StepGate(), "w1", ModelSettings(model), agents => agents.AddAgent<MailLoopAgent>().AddTool<SendMailTool>());
        var control = Client.GetRequiredService<RunControl>();
        var approvedRun = await CreateRunAsync("mail-loop", """{"text":"mail ops"}""");
        var refusedRun = await CreateRunAsync("mail-loop", """{"text":"mail ops"}""");

        var asked = await WaitForStatusAsync(approvedRun, RunStatus.Waiting);
        Assert.Contains("send_mail", Assert.Single(asked.Approvals).Prompt, StringComparison.Ordinal);
        Assert.Contains("ops@example.com", asked.Approvals[0].Prompt, StringComparison.Ordinal);
        await WaitForStatusAsync(refusedRun, RunStatus.Waiting);
        await control.DecideAsync(approvedRun, 1, approved: true, null);
        await control.DecideAsync(refusedRun, 1, approved: false, "not now");
        var approved = await WaitForStatusAsync(approvedRun, RunStatus.Complete);
        var refused = await WaitForStatusAsync(refusedRun, RunStatus.Complete);

        var tool = worker.Host.Services.GetRequiredService<SendMailTool>();
        Assert.Equal(1, tool.Sent);
        Assert.Contains("mail-1", approved.Steps[0].ResultJson, StringComparison.Ordinal);
        Assert.Contains("not now", refused.Steps[0].ResultJson, StringComparison.Ordinal);
        Assert.Equal(4, model.Requests.Count);
    }

    private static List<JsonElement> ModelCalls(IEnumerable<LogEntry> log) =>
        log.Where(entry => entry.Action == LogActions.ModelCall).Select(entry => JsonDocument.Parse(entry.DetailsJson).RootElement).ToList();
}
