using System.Diagnostics;
using System.Globalization;

namespace AgentAspire.Fault.Tests;

public sealed class ToolLockHolderTests
{
    private const int Waiters = 4;

    // Long enough that the holder is still inside its first web_search call when it is killed.
    private const int SearchLatencyMs = 8_000;

    [LinuxFact(Timeout = 180_000)]
    public async Task Runs_waiting_on_a_tool_lock_whose_holder_was_killed_mid_call_take_it_over_once_and_compute_the_result_once_more()
    {
        // Arrange: a worker with room for one run only, inside a slow web_search call, holding its stampede lock
        await using var cluster = await FaultCluster.StartAsync(toolLockLease: TimeSpan.FromSeconds(3));
        const string question = "Which tool result does a stampede lock protect?";
        var holder = cluster.StartWorker("lock-holder", maxConcurrentRuns: 1);
        var held = await cluster.CreateRunAsync(question, stepDelayMs: 0, "lock-holder", SearchLatencyMs);
        string? lockKey = null;
        await FaultCluster.WaitUntilAsync(async () => (lockKey = await FindLockAsync(cluster)) is not null, TimeSpan.FromSeconds(30), "the holder to take a tool lock");
        var holderToken = (string?)await cluster.Db.StringGetAsync(lockKey);

        // Runs asking the same question on a second worker reach the same call and wait on the lock.
        cluster.StartWorker("lock-waiter");
        var waiters = new List<string>();
        foreach (var i in Enumerable.Range(0, Waiters))
        {
            waiters.Add(await cluster.CreateRunAsync(question, stepDelayMs: 0, $"lock-waiter-{i}", SearchLatencyMs));
        }

        await FaultCluster.WaitUntilAsync(async () =>
        {
            foreach (var runId in waiters)
            {
                if (!(await cluster.ReadLogAsync(runId)).Any(entry => entry.Action == "plan"))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(30), "every waiter to reach its search step");
        Assert.Equal(holderToken, (string?)await cluster.Db.StringGetAsync(lockKey));

        // Act: SIGKILL the holder mid-call
        await holder.KillAsync();
        var killed = Stopwatch.StartNew();
        await FaultCluster.WaitUntilAsync(
            async () => (string?)await cluster.Db.StringGetAsync(lockKey) is { } token && token != holderToken,
            TimeSpan.FromSeconds(90),
            "a waiter to take the lock over");
        var takenOver = killed.Elapsed;
        var runs = waiters.Append(held).ToList();
        var ended = await cluster.WaitForEndAsync(runs, TimeSpan.FromSeconds(120));

        // Assert
        var audit = new RunAudit();
        foreach (var runId in runs)
        {
            audit.Check(ended[runId], await cluster.ReadLogAsync(runId));
        }

        Figures.Print("tool-lock holder killed",
            ("lock lease s", cluster.ToolLockLease.TotalSeconds), ("waiting runs", Waiters), ("search latency s", SearchLatencyMs / 1000),
            ("lock taken over after kill s", takenOver.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)),
            ("taken over after, in lock leases", (takenOver / cluster.ToolLockLease).ToString("F2", CultureInfo.InvariantCulture)),
            ("all finished after kill s", killed.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)), ("lock takeovers logged", audit.LockTakeovers));
        // The holder computed the locked result once and died before logging it (it held the lock mid-call); the logs
        // show every computation after that: exactly one, by the one waiter that took the lock over. Any other key
        // was computed once. How soon the lock was taken over is a figure above, not judged here.
        var lockedResult = "tool:cache:" + lockKey!["tool:lock:".Length..];
        var computations = string.Join(", ", audit.ComputationsPerKey.Select(pair => $"{pair.Key} x{pair.Value}"));
        Assert.True(audit.TakenOverKeys.SequenceEqual([lockedResult]), $"lock takeovers: [{string.Join(", ", audit.TakenOverKeys)}]; expected one, of {lockedResult}");
        Assert.True(audit.ComputationsPerKey.GetValueOrDefault(lockedResult) == 1, $"computations after the kill: {computations}");
        Assert.True(audit.ComputationsPerKey.Values.All(count => count == 1), $"a key computed more than once: {computations}");
    }

    private static async Task<string?> FindLockAsync(FaultCluster cluster)
    {
        var server = cluster.Connection.GetServer(cluster.Connection.GetEndPoints()[0]);
        await foreach (var key in server.KeysAsync(pattern: "tool:lock:*"))
        {
            return key;
        }

        return null;
    }
}
