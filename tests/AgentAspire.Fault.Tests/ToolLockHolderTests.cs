using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState;

namespace AgentAspire.Fault.Tests;

public sealed class ToolLockHolderTests
{
    private const int Waiters = 4;

    [Fact(Timeout = 180_000)]
    public async Task Runs_waiting_on_a_tool_lock_whose_holder_was_killed_mid_call_finish_within_twice_the_lock_lease()
    {
        // Arrange: learn the tool keys of a question, then forget their results
        await using var cluster = await FaultCluster.StartAsync(toolLockLease: TimeSpan.FromSeconds(3));
        cluster.StartWorker("lock-a");
        cluster.StartWorker("lock-b");
        const string Question = "Which tool result does a stampede lock protect?";
        var probe = await cluster.CreateRunAsync(Question, stepDelayMs: 0, "lock-probe");
        await cluster.WaitForEndAsync([probe], TimeSpan.FromSeconds(60));
        var cacheKeys = (await cluster.ReadLogAsync(probe))
            .Where(entry => entry.Action == "tool_call")
            .Select(entry => JsonDocument.Parse(entry.DetailsJson).RootElement.GetProperty("key").GetString()!)
            .Distinct()
            .ToList();
        Assert.NotEmpty(cacheKeys);
        await cluster.Db.KeyDeleteAsync(cacheKeys.Select(key => (StackExchange.Redis.RedisKey)key).ToArray());
        var lockKeys = cacheKeys.Select(key => key.Replace("tool:cache:", "tool:lock:", StringComparison.Ordinal)).ToList();

        // A holder mid-call: a process that holds every one of those locks and renews it as ToolCache does.
        using var holder = StartHolder(cluster, lockKeys);
        await FaultCluster.WaitUntilAsync(async () => await cluster.Db.KeyExistsAsync(lockKeys[0]), TimeSpan.FromSeconds(10), "the holder to take its locks");
        var waiters = new List<string>();
        foreach (var i in Enumerable.Range(0, Waiters))
        {
            waiters.Add(await cluster.CreateRunAsync(Question, stepDelayMs: 0, $"lock-waiter-{i}"));
        }

        // Every waiter reached the tool and waits on the lock.
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
        await Task.Delay(cluster.ToolLockLease, TestContext.Current.CancellationToken);
        Assert.All(waiters, runId => Assert.Equal(1, cluster.Store.GetAsync(runId).Result!.CurrentStep));

        // Act: SIGKILL the holder
        holder.Kill(entireProcessTree: true);
        var killed = Stopwatch.StartNew();
        var ended = await cluster.WaitForEndAsync(waiters, TimeSpan.FromSeconds(60));
        var finished = killed.Elapsed;

        // Assert
        var audit = new RunAudit();
        foreach (var runId in waiters)
        {
            audit.Check(ended[runId], await cluster.ReadLogAsync(runId));
        }

        Figures.Print("tool-lock holder killed",
            ("lock lease s", cluster.ToolLockLease.TotalSeconds), ("waiting runs", Waiters), ("locks held", lockKeys.Count),
            ("all finished after kill s", finished.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)), ("lock takeovers logged", audit.LockTakeovers));
        Assert.True(finished <= cluster.ToolLockLease * 2, $"waiters took {finished.TotalSeconds:F1} s after the holder died");
        Assert.True(audit.LockTakeovers >= 1, "no waiter logged that it took the lock over");
        Assert.Empty(audit.ComputedTwice);
    }

    private static Process StartHolder(FaultCluster cluster, IReadOnlyList<string> lockKeys)
    {
        var cli = Path.Combine(Path.GetDirectoryName(FindOnPath("valkey-server"))!, "valkey-cli");
        var lease = (long)cluster.ToolLockLease.TotalMilliseconds;
        var renewEvery = (cluster.ToolLockLease / 3).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        var script = $"while :; do for k in \"$@\"; do \"{cli}\" -h 127.0.0.1 -p {cluster.Valkey.Port} --no-auth-warning -a {cluster.Valkey.Password} SET \"$k\" dead-holder PX {lease} >/dev/null; done; sleep {renewEvery}; done";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("holder");
        foreach (var key in lockKeys)
        {
            start.ArgumentList.Add(key);
        }

        return Process.Start(start)!;
    }

    private static string FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("VALKEY_SERVER_PATH") is { Length: > 0 } configured ? [configured] : Array.Empty<string>())
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(directory => Path.Combine(directory, name)))
            .First(File.Exists);
}
