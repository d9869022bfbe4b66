using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Replays;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.Fault.Tests;

/// <summary>
/// A worker SIGKILLed in the middle of a recorded replay: the replay resumes on another worker like any run, comes to
/// the same outcome as a replay of the same run that nobody killed, and never asks the model.
/// </summary>
public sealed class ReplayKillTests
{
    [LinuxFact(Timeout = 180_000)]
    public async Task Worker_killed_between_replayed_turns_the_replay_resumes_elsewhere_identical_with_no_model_request()
    {
        // Arrange: a four-turn research-loop run recorded against the test model server, with a pause before each turn
        // (the pause is step code, so its replays pause as well), and a replay of it that nobody kills.
        await using var model = TestModelServer.Start(ModelLoopKillTests.FourTurnScript);
        await using var cluster = await FaultCluster.StartAsync(concurrency: 1);
        cluster.SetModel(model.OpenAIConnectionString(model: "loop_model"), ("loop_model", Input: "2", Output: "10", CachedInput: "0.5"));
        var workers = new[] { cluster.StartWorker("replay-a"), cluster.StartWorker("replay-b") };
        var original = await cluster.CreateLoopRunAsync("How does a replay resume after a crash?", turnDelayMs: 1500, "replay-kill");
        Assert.Equal(RunStatus.Complete, (await cluster.WaitForEndAsync([original], TimeSpan.FromSeconds(60)))[original].Status);
        var recordedRequests = model.Requests.Count;
        var unkilled = await ReplayAsync(cluster, original);
        await cluster.WaitForEndAsync([unkilled], TimeSpan.FromSeconds(60));
        var unkilledOutcome = (await cluster.Comparer.CompareAsync(original, unkilled))!.Outcome;

        // Act: a second replay; once two turns are answered from the record (it now pauses before its third), SIGKILL
        // the worker holding it.
        var replay = await ReplayAsync(cluster, original);
        await FaultCluster.WaitUntilAsync(async () => (await cluster.ReadLogAsync(replay)).Count(entry => entry.Action == LogActions.ModelCall) >= 2,
            TimeSpan.FromSeconds(60), "two model turns of the replay answered", cluster.WorkerLogs);
        var holder = await cluster.LeaseHolderAsync(replay);
        var killed = Assert.Single(workers, worker => worker.Name == holder);
        await killed.KillAsync();
        var ended = await cluster.WaitForEndAsync([replay], TimeSpan.FromSeconds(90));
        var comparison = await cluster.Comparer.CompareAsync(original, replay);

        // Assert
        var log = await cluster.ReadLogAsync(replay);
        var where = $"replay {replay} of {original}, {killed.Name} killed:\n" + string.Join("\n", log.Select(entry => $"  {entry.Action} step={entry.Step} attempt={entry.Attempt} worker={entry.Worker} {entry.DetailsJson}"));
        Assert.True(recordedRequests == 4, $"{recordedRequests} model requests for the four recorded turns; {where}");
        Assert.True(unkilledOutcome == ReplayOutcomes.Identical, $"the replay nobody killed came out {unkilledOutcome}; {where}");
        Assert.True(comparison!.Outcome == unkilledOutcome, $"status {ended[replay].Status}, outcome {comparison.Outcome}, error {ended[replay].Error}; {where}");
        Assert.True(model.Requests.Count == recordedRequests, $"{model.Requests.Count - recordedRequests} model requests during the replays; {where}");
        Assert.True(log.Any(entry => entry.Action is "started" or "resumed" && entry.Attempt > 1 && entry.Worker != killed.Name), $"not claimed again by another worker; {where}");
        Assert.True(log.Single(entry => entry.Action == "complete").Worker != killed.Name, $"completed by the killed worker; {where}");

        // Every call after the kill was answered too: from the replay's own journal or from the original's record.
        var calls = log.Where(entry => entry.Action is LogActions.ModelCall or LogActions.ToolCall).Select(Details).ToList();
        Assert.True(log.Count(entry => entry.Action == LogActions.ModelCall) >= 4, $"fewer than four model turns logged; {where}");
        Assert.True(calls.All(details => Flag(details, "recorded") || Flag(details, "replayed")), $"a call of the replay was made live; {where}");
    }

    private static async Task<string> ReplayAsync(FaultCluster cluster, string original)
    {
        var started = await cluster.Control.ReplayAsync(original, ReplayModes.Recorded, 0, RunIds.NewRunId());
        Assert.Equal(ReplayStartOutcome.Created, started.Outcome);
        return started.Created!.RunId;
    }

    private static bool Flag(JsonElement details, string name) => details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static JsonElement Details(LogEntry entry)
    {
        using var details = JsonDocument.Parse(entry.DetailsJson);
        return details.RootElement.Clone();
    }
}
