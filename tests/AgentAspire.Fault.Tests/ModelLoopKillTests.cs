using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.Fault.Tests;

/// <summary>
/// A worker SIGKILLed in the middle of a model loop: the run resumes on another worker from its journal, so the
/// model is asked once per turn, each tool is computed once, and the run's usage counts each paid call once.
/// </summary>
public sealed class ModelLoopKillTests
{
    private const string Answer = "A run resumes at the step after its last checkpoint.";

    // The research-loop agent's tools, in the order the scripted model calls them.
    private static readonly string[] ResearchTools = ["web_search", "text_stats", "lookup_glossary"];

    [LinuxFact(Timeout = 180_000)]
    public async Task Worker_killed_between_model_turns_the_run_completes_elsewhere_with_one_request_per_turn_and_each_tool_computed_once()
    {
        // Arrange: two real workers against the test model server, scripted as a four-turn loop with a price
        await using var model = TestModelServer.Start(FourTurnScript);
        await using var cluster = await FaultCluster.StartAsync(concurrency: 1);
        // The worker starts through /bin/sh, which passes on only environment names that are shell identifiers: no '-'.
        cluster.SetModel(model.OpenAIConnectionString(model: "loop_model"), ("loop_model", Input: "2", Output: "10", CachedInput: "0.5"));
        var workers = new[] { cluster.StartWorker("loop-a"), cluster.StartWorker("loop-b") };
        var runId = await cluster.CreateLoopRunAsync("How does a run resume after a crash?", turnDelayMs: 2000, "loop-kill");

        // Act: once two turns are answered live and the second turn's tool has run, SIGKILL the worker holding the run
        // (it now waits 2 s before its third turn)
        await FaultCluster.WaitUntilAsync(async () =>
        {
            var log = await cluster.ReadLogAsync(runId);
            return Live(log, LogActions.ModelCall).Count >= 2 && Live(log, LogActions.ToolCall).Count >= 2;
        }, TimeSpan.FromSeconds(60), "two live model turns and the tool call after the second", cluster.WorkerLogs);
        var holder = await cluster.LeaseHolderAsync(runId);
        var killed = Assert.Single(workers, worker => worker.Name == holder);
        var requestsAtKill = model.Requests.Count;
        await killed.KillAsync();
        var ended = await cluster.WaitForEndAsync([runId], TimeSpan.FromSeconds(90));

        // Assert
        var run = ended[runId];
        var log = await cluster.ReadLogAsync(runId);
        var where = $"run {runId}, {requestsAtKill} requests at the kill of {killed.Name}:\n" + string.Join("\n", log.Select(entry => $"  {entry.Action} step={entry.Step} attempt={entry.Attempt} worker={entry.Worker} {entry.DetailsJson}"));
        Assert.True(run.Status == RunStatus.Complete, $"status {run.Status}, error {run.Error}; {where}");
        Assert.True(model.Requests.Count == 4, $"{model.Requests.Count} model requests for four turns; {where}");
        Assert.True(log.Any(entry => entry.Action is "started" or "resumed" && entry.Attempt > 1 && entry.Worker != killed.Name), $"not claimed again by another worker; {where}");
        Assert.True(log.Single(entry => entry.Action == "complete").Worker != killed.Name, $"completed by the killed worker; {where}");

        var liveCalls = Live(log, LogActions.ModelCall);
        var replayedCalls = log.Where(entry => entry.Action == LogActions.ModelCall).Count(entry => Details(entry).GetProperty("replayed").GetBoolean());
        Assert.True(liveCalls.Count == 4, $"{liveCalls.Count} live model calls; {where}");
        Assert.True(replayedCalls >= 2, $"{replayedCalls} model calls answered from the journal after the kill; {where}");

        // Each tool computed exactly once: one live tool_call that missed the cache per tool, and that cache entry exists.
        var computed = Live(log, LogActions.ToolCall).Where(details => !details.GetProperty("cacheHit").GetBoolean()).ToList();
        Assert.True(computed.Select(details => details.GetProperty("tool").GetString()).Order(StringComparer.Ordinal).SequenceEqual(ResearchTools.Order(StringComparer.Ordinal)),
            $"tools computed: {string.Join(", ", computed.Select(details => details.GetProperty("tool").GetString()))}; {where}");
        foreach (var key in computed.Select(details => details.GetProperty("key").GetString()!))
        {
            Assert.True(await cluster.Db.KeyExistsAsync(key), $"tool cache entry {key} missing; {where}");
        }

        using var result = JsonDocument.Parse(Assert.Single(run.Steps).ResultJson);
        Assert.Equal(Answer, result.RootElement.GetProperty("answer").GetString());

        // The run's usage (what GET /runs/{id} shows) is the sum of the calls paid, not of the replays.
        var paid = new ModelUsage(
            liveCalls.Sum(call => call.GetProperty("inputTokens").GetInt64()),
            liveCalls.Sum(call => call.GetProperty("outputTokens").GetInt64()),
            liveCalls.Sum(call => call.GetProperty("cachedInputTokens").GetInt64()),
            (long)(liveCalls.Sum(call => call.GetProperty("cost").GetDecimal()) * 1_000_000m),
            Calls: 4);
        Assert.True(paid == run.Usage, $"usage {run.Usage}, live model_call entries sum to {paid}; {where}");
        Assert.True(paid == run.StepUsage[1], $"step usage {run.StepUsage[1]}, live model_call entries sum to {paid}; {where}");
        Assert.True(run.Usage.CostMicros > 0, $"no cost counted; {where}");

        Figures.Print("model loop, worker SIGKILLed between turns",
            ("model requests", model.Requests.Count), ("requests at the kill", requestsAtKill), ("turns replayed", replayedCalls),
            ("tools computed", computed.Count), ("tokens", run.Usage.TotalTokens), ("cost micros", run.Usage.CostMicros.ToString(CultureInfo.InvariantCulture)));
    }

    // Calls each research tool once, one per turn (counting the tool results the request carries), then answers.
    internal static ModelReply FourTurnScript(ModelRequest request)
    {
        var results = request.Body.GetProperty("messages").EnumerateArray().Count(message => message.GetProperty("role").GetString() == "tool");
        if (results < ResearchTools.Length)
        {
            var tool = ResearchTools[results];
            var arguments = tool == "web_search" ? """{"query":"resume after a crash"}""" : """{"text":"A run resumes from its checkpoint after a crash."}""";
            return new ModelReply("", InputTokens: 100 + (10 * results), OutputTokens: 7, CachedInputTokens: 40, [new ModelToolCall($"call_{results + 1}", tool, arguments)]);
        }

        return new ModelReply(Answer, InputTokens: 160, OutputTokens: 12);
    }

    // The details of the entries of one action that a call made live (not answered from the journal).
    private static List<JsonElement> Live(IEnumerable<LogEntry> log, string action) =>
        log.Where(entry => entry.Action == action)
            .Select(Details)
            .Where(details => !(details.TryGetProperty("replayed", out var replayed) && replayed.GetBoolean()))
            .ToList();

    private static JsonElement Details(LogEntry entry)
    {
        using var details = JsonDocument.Parse(entry.DetailsJson);
        return details.RootElement.Clone();
    }
}
