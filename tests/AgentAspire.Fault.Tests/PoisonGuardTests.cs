using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using StackExchange.Redis;

namespace AgentAspire.Fault.Tests;

/// <summary>
/// The poison guard with real worker processes killed by SIGKILL: a run is failed only when its deliveries keep
/// ending without a commit, never for deaths between which it made progress, and only by the worker holding it.
/// </summary>
public sealed class PoisonGuardTests
{
    [LinuxFact(Timeout = 300_000)]
    public async Task A_run_that_commits_a_step_between_each_of_eight_worker_kills_completes_past_the_delivery_limit()
    {
        // Arrange: one delivery without a commit allowed; a test agent of ten steps of 1.5 s; one worker at a time
        const int wantedKills = 8;
        await using var cluster = await FaultCluster.StartAsync(concurrency: 1, maxDeliveries: 1);
        cluster.AddTestAgents();
        var generation = 1;
        var worker = cluster.StartWorker("progress-1");
        var runId = await cluster.CreateManyStepsRunAsync(stepDelayMs: 1500, "progress");

        // Act: SIGKILL the worker right after a commit, while it runs the next step, eight times
        var kills = 0;
        var committed = 0;
        while (kills < wantedKills)
        {
            var seen = committed;
            await FaultCluster.WaitUntilAsync(async () => (committed = await CurrentStepAsync(cluster, runId)) > seen, TimeSpan.FromSeconds(60),
                $"a commit after step {seen}", cluster.WorkerLogs);
            Assert.True(committed < ManyStepsAgent.StepCount, $"the run committed its last step after {kills} kills: too few steps left to kill between");
            await worker.KillAsync();
            kills++;
            worker = cluster.StartWorker($"progress-{++generation}");
        }

        var ended = await cluster.WaitForEndAsync([runId], TimeSpan.FromSeconds(60));

        // Assert: a delivery per kill and one more, each one committing, far past the limit; the run complete with every
        // step once and nothing dead-lettered
        var log = await cluster.ReadLogAsync(runId);
        var claims = log.Count(entry => entry.Action is "started" or "resumed");
        Figures.Print("poison guard, progress", ("kills after a commit", kills), ("deliveries", claims), ("limit without a commit", 1));
        new RunAudit().Check(ended[runId], log, ManyStepsAgent.AllStepNames);
        Assert.True(claims > kills, $"{claims} deliveries for {kills} kills under a limit of 1");
        Assert.Equal(0, await cluster.Db.StreamLengthAsync(AgentKeys.DeadLetters));
    }

    [LinuxFact(Timeout = 300_000)]
    public async Task A_model_loop_that_records_a_call_between_worker_kills_completes_past_the_delivery_limit()
    {
        // Arrange: one delivery without progress allowed; the offline model's four-turn loop (seven recorded calls) in
        // one step, 1.5 s before each turn; one worker at a time
        await using var cluster = await FaultCluster.StartAsync(concurrency: 1, maxDeliveries: 1);
        var generation = 1;
        var worker = cluster.StartWorker("loop-1");
        var runId = await cluster.CreateLoopRunAsync("How does a recorded call keep a run from looking like poison?", turnDelayMs: 1500, "loop-progress");

        // Act: SIGKILL the worker right after it recorded a call of its own, while the step goes on. (A call the
        // killed worker sent just before its death may land after it; counting it would kill the next worker before
        // it claims the run.)
        var kills = 0;
        while (true)
        {
            var current = worker.Name;
            await FaultCluster.WaitUntilAsync(async () =>
                await LiveCallsRecordedByAsync(cluster, runId, current) > 0 || await CurrentStepAsync(cluster, runId) >= 1,
                TimeSpan.FromSeconds(60), $"a call recorded by {worker.Name}", cluster.WorkerLogs);
            if (await CurrentStepAsync(cluster, runId) >= 1)
            {
                break;
            }

            await worker.KillAsync();
            if (await CurrentStepAsync(cluster, runId) >= 1)
            {
                // The worker committed the agent's one step between the look above and the kill: the run was complete
                // and this kill interrupted nothing.
                break;
            }

            kills++;
            worker = cluster.StartWorker($"loop-{++generation}");
        }

        var ended = await cluster.WaitForEndAsync([runId], TimeSpan.FromSeconds(60));

        // Assert: many more deliveries than the limit, each one recording a call, and the run complete
        var log = await cluster.ReadLogAsync(runId);
        var claims = log.Count(entry => entry.Action is "started" or "resumed");
        Figures.Print("poison guard, loop progress", ("kills after a recorded call", kills), ("deliveries", claims), ("limit without progress", 1));
        Assert.True(ended[runId].Status == RunStatus.Complete, $"status {ended[runId].Status}, error {ended[runId].Error}");
        // A turn's tool call follows its model call at once, so a kill may land after both: one kill per turn at least.
        Assert.True(kills >= 3, $"{kills} kills");
        Assert.True(claims > kills, $"{claims} deliveries for {kills} kills under a limit of 1");
        Assert.Equal(0, await cluster.Db.StreamLengthAsync(AgentKeys.DeadLetters));
    }

    /// <summary>The model and tool calls a worker made and recorded itself, not those it answered from the journal.</summary>
    private static async Task<int> LiveCallsRecordedByAsync(FaultCluster cluster, string runId, string worker) =>
        (await cluster.ReadLogAsync(runId)).Count(entry =>
            entry.Action is LogActions.ModelCall or LogActions.ToolCall
            && (entry.Worker == worker || entry.Worker.StartsWith(worker + "/", StringComparison.Ordinal))
            && !IsReplayed(entry));

    private static bool IsReplayed(LogEntry entry)
    {
        using var details = JsonDocument.Parse(entry.DetailsJson);
        return details.RootElement.TryGetProperty("replayed", out var replayed) && replayed.GetBoolean();
    }

    [LinuxFact(Timeout = 240_000)]
    public async Task A_run_whose_step_kills_its_worker_every_time_is_failed_after_the_limit_by_the_worker_holding_it()
    {
        // Arrange: two deliveries without a commit allowed; a first step of 4 s that never gets to commit
        const int limit = 2;
        await using var cluster = await FaultCluster.StartAsync(concurrency: 1, maxDeliveries: limit);
        var generation = 1;
        var worker = cluster.StartWorker("poison-1");
        var runId = await cluster.CreateRunAsync("What does a step that kills its worker every time cost?", stepDelayMs: 4000, "poison");

        // Act: SIGKILL the live worker as soon as it holds the run (the lease of a killed one lingers until it
        // expires), until the run ends
        var kills = 0;
        while (true)
        {
            var held = false;
            await FaultCluster.WaitUntilAsync(async () =>
            {
                held = await cluster.LeaseHolderAsync(runId) == worker.Name;
                return held || RunStatus.IsFinal(await StatusAsync(cluster, runId));
            }, TimeSpan.FromSeconds(60), $"{worker.Name} to hold the run, or the run to end", cluster.WorkerLogs);
            if (!held)
            {
                break;
            }

            await worker.KillAsync();
            kills++;
            worker = cluster.StartWorker($"poison-{++generation}");
        }

        // Assert: failed by the claim after `limit` deliveries died, and written by the worker that made that claim
        var checkpoint = (await cluster.WaitForEndAsync([runId], TimeSpan.FromSeconds(30)))[runId];
        var log = await cluster.ReadLogAsync(runId);
        var where = string.Join("\n", log.Select(entry => $"  {entry.Id} {entry.Action} step={entry.Step} attempt={entry.Attempt} worker={entry.Worker} {entry.DetailsJson}"));
        Figures.Print("poison guard, poison", ("kills before a commit", kills), ("limit without a commit", limit), ("status", checkpoint.Status));
        Assert.True(checkpoint.Status == RunStatus.Failed, $"status {checkpoint.Status}; {where}\n{cluster.WorkerLogs()}");
        Assert.Equal(limit, kills);
        Assert.Equal(0, checkpoint.CurrentStep);
        Assert.Equal($"{limit} deliveries in a row ended without a new commit (limit {limit}).", checkpoint.Error);
        var failed = Assert.Single(log, entry => entry.Action == "failed");
        Assert.Equal(checkpoint.Attempt, failed.Attempt);
        Assert.Equal(worker.Name, failed.Worker);
        RunAudit.AssertOneWriterPerAttempt(log, where);

        // The dead letter lives outside the run's hash slot, so the claim adds it (and acknowledges the entry) in the
        // round trip after the one that failed the run: wait for it rather than race it.
        await FaultCluster.WaitUntilAsync(
            async () => await cluster.Db.StreamLengthAsync(AgentKeys.DeadLetters) > 0 && await PendingAsync(cluster) == 0,
            TimeSpan.FromSeconds(15), "the run's entry to be dead-lettered and acknowledged", cluster.WorkerLogs);
        var deadLetter = Assert.Single(await cluster.Db.StreamRangeAsync(AgentKeys.DeadLetters, "-", "+"));
        Assert.Equal(runId, deadLetter["run_id"].ToString());
    }

    private static async Task<int> CurrentStepAsync(FaultCluster cluster, string runId) =>
        int.Parse((string?)await cluster.Db.HashGetAsync(AgentKeys.State(runId), "current_step") ?? "0", CultureInfo.InvariantCulture);

    private static async Task<string?> StatusAsync(FaultCluster cluster, string runId) =>
        await cluster.Db.HashGetAsync(AgentKeys.State(runId), "status");

    private static async Task<long> PendingAsync(FaultCluster cluster)
    {
        var pending = 0L;
        for (var shard = 0; shard < new AgentStateOptions().QueueShards; shard++)
        {
            RedisKey stream = AgentKeys.RunQueue(shard);
            pending += await cluster.Db.KeyExistsAsync(stream) ? (await cluster.Db.StreamPendingAsync(stream, AgentKeys.WorkerGroup)).PendingMessageCount : 0;
        }

        return pending;
    }
}
