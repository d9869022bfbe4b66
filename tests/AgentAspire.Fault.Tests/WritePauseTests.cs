namespace AgentAspire.Fault.Tests;

public sealed class WritePauseTests
{
    [LinuxFact(Timeout = 180_000)]
    public async Task No_run_fails_when_Valkey_holds_every_write_longer_than_the_client_timeout()
    {
        // Arrange: runs in flight on two workers whose commands time out after 3 s
        await using var cluster = await FaultCluster.StartAsync(concurrency: 8);
        WorkerProcess[] workers = [cluster.StartWorker("pause-a"), cluster.StartWorker("pause-b")];
        var runs = await cluster.CreateRunsAsync(30, stepDelayMs: 300, "pause");
        await FaultCluster.WaitUntilAsync(async () => await cluster.LeasesHeldByAsync("pause-") >= 4, TimeSpan.FromSeconds(30), "runs in flight");
        var inFlight = await cluster.LeasesHeldByAsync("pause-");

        // Act: every commit, renewal and log write waits 5 s on the server: the workers' calls time out
        await cluster.Db.ExecuteAsync("CLIENT", "PAUSE", "5000", "WRITE");
        var ended = await cluster.WaitForEndAsync(runs, TimeSpan.FromSeconds(120));

        // Assert
        var interrupted = workers.Sum(worker => WorkerProcess.Count(worker.ReadLog(), WorkerProcess.AttemptInterrupted));
        var audit = new RunAudit();
        foreach (var runId in runs)
        {
            audit.Check(ended[runId], await cluster.ReadLogAsync(runId));
        }

        Figures.Print("writes held past the client timeout",
            ("runs", audit.Runs), ("in flight at the pause", inFlight), ("pause s", 5), ("claims (started + resumed)", audit.Claims),
            ("failed runs", ended.Values.Count(run => run.Status == "failed")), ("attempts interrupted (worker logs)", interrupted));
        // The pause really cut attempts short, and they were claimed again: without it every run is claimed once.
        Assert.True(interrupted > 0, "no worker logged an interrupted attempt:\n" + cluster.WorkerLogs());
        Assert.True(audit.Claims > audit.Runs, $"{audit.Claims} claims for {audit.Runs} runs: no attempt was resumed");
    }
}
