using System.Diagnostics;
using System.Globalization;

namespace AgentAspire.Fault.Tests;

public sealed class SigkillStormTests
{
    private const int MinimumRuns = 60;
    private const int MinimumKills = 8;

    [LinuxFact(Timeout = 300_000)]
    public async Task Every_run_completes_with_each_step_committed_once_through_a_storm_of_worker_kills()
    {
        // Arrange: two real workers, a few runs in hand each, steps of 300 ms
        await using var cluster = await FaultCluster.StartAsync(concurrency: 4);
        var generations = new[] { 1, 1 };
        var workers = new[] { cluster.StartWorker("storm-a1"), cluster.StartWorker("storm-b1") };
        var runs = await cluster.CreateRunsAsync(40, stepDelayMs: 300, "storm");
        var random = new Random(11);
        var kills = 0;
        var leasesHeldAtKills = 0;
        var started = Stopwatch.StartNew();

        // Act: SIGKILL a worker that holds at least one lease, start a new one in its place, again and again
        while (kills < MinimumKills || runs.Count < MinimumRuns)
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(150), $"only {kills} kills landed on a held lease in 150 s");
            if (runs.Count < MinimumRuns + 20)
            {
                runs.AddRange(await cluster.CreateRunsAsync(3, stepDelayMs: 300, $"storm-{runs.Count}"));
            }

            await Task.Delay(random.Next(500, 1000), TestContext.Current.CancellationToken);
            var slot = random.Next(2);
            var held = await cluster.LeasesHeldByAsync(workers[slot].Name + "/");
            if (held == 0)
            {
                continue;
            }

            await workers[slot].KillAsync();
            kills++;
            leasesHeldAtKills += held;
            workers[slot] = cluster.StartWorker($"storm-{(slot == 0 ? 'a' : 'b')}{++generations[slot]}");
        }

        var stormSeconds = started.Elapsed.TotalSeconds;
        var ended = await cluster.WaitForEndAsync(runs, TimeSpan.FromSeconds(150));

        // Assert
        var audit = new RunAudit();
        foreach (var runId in runs)
        {
            audit.Check(ended[runId], await cluster.ReadLogAsync(runId));
        }

        Figures.Print("SIGKILL storm",
            ("runs", audit.Runs), ("kills landing on a held lease", kills), ("leases held at those kills", leasesHeldAtKills),
            ("worker restarts", kills), ("claims (started + resumed)", audit.Claims), ("storm s", stormSeconds.ToString("F1", CultureInfo.InvariantCulture)),
            ("all done after s", started.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)), ("tool calls", audit.ToolCalls),
            ("tool computations", audit.ToolMisses), ("answered from the journal", audit.JournalAnswers), ("lock takeovers", audit.LockTakeovers),
            ("keys computed twice", audit.ComputedTwice.Count()));
        Assert.True(audit.Runs >= MinimumRuns, $"{audit.Runs} runs");
        Assert.True(kills >= MinimumKills, $"{kills} kills");
        Assert.Empty(audit.ComputedTwice);
    }
}
