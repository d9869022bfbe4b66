using System.Diagnostics;
using System.Globalization;

namespace AgentAspire.Fault.Tests;

public sealed class ZombieTests
{
    [LinuxFact(Timeout = 180_000)]
    public async Task A_worker_paused_past_its_lease_writes_nothing_to_the_run_after_another_took_it_over()
    {
        // Arrange: a run whose search step (it calls tools) waits 1.5 s first; two workers
        await using var cluster = await FaultCluster.StartAsync();
        var first = cluster.StartWorker("zombie-a");
        var second = cluster.StartWorker("zombie-b");
        var runId = await cluster.CreateRunAsync("How does a fence token stop a paused worker?", stepDelayMs: 1500, "zombie");
        await FaultCluster.WaitUntilAsync(async () => (await cluster.ReadLogAsync(runId)).Any(entry => entry.Action == "plan"),
            TimeSpan.FromSeconds(60), "the plan step to commit");
        var holderName = await cluster.LeaseHolderAsync(runId);
        var zombie = holderName == first.Name ? first : second;
        Assert.Equal(zombie.Name, holderName);

        // Act: SIGSTOP the holder inside the search step, past its lease, until the other worker took the run over
        zombie.Pause();
        var paused = Stopwatch.StartNew();
        string? takeoverId = null;
        await FaultCluster.WaitUntilAsync(async () =>
        {
            takeoverId = (await cluster.ReadLogAsync(runId)).FirstOrDefault(entry => entry.Action == "resumed" && entry.Worker != zombie.Name)?.Id;
            return takeoverId is not null;
        }, TimeSpan.FromSeconds(30), "another worker to take the run over");
        var takeoverSeconds = paused.Elapsed.TotalSeconds;
        zombie.Resume();
        var ended = await cluster.WaitForEndAsync([runId], TimeSpan.FromSeconds(60));
        // The resumed zombie goes on with its step until a renewal, an append, a tool call or its commit is refused,
        // and it says so: only after that line is "it wrote nothing" a finding rather than a guess about its speed.
        await FaultCluster.WaitUntilAsync(
            () => Task.FromResult(WorkerProcess.Count(zombie.ReadLog(), $"Run {runId}: {WorkerProcess.LeaseLost}") > 0
                || WorkerProcess.Count(zombie.ReadLog(), $"Run {runId}: commit of step") > 0),
            TimeSpan.FromSeconds(30), "the resumed zombie to be refused and say so", () => "Its log:\n" + zombie.ReadLog());

        // Assert
        var log = await cluster.ReadLogAsync(runId);
        var zombieWrites = log.Where(entry => entry.Worker == zombie.Name && RunAudit.IsBefore(takeoverId!, entry.Id)).ToList();
        Figures.Print("zombie",
            ("lease s", cluster.Lease.TotalSeconds), ("taken over after s", takeoverSeconds.ToString("F1", CultureInfo.InvariantCulture)),
            ("zombie entries after takeover", zombieWrites.Count), ("log entries", log.Count));
        Assert.True(zombieWrites.Count == 0, "the zombie wrote after the takeover: " + string.Join(", ", zombieWrites.Select(entry => $"{entry.Action} {entry.DetailsJson}")));
        new RunAudit().Check(ended[runId], log);
        Assert.False(zombie.HasExited, cluster.WorkerLogs());
    }
}
