namespace AgentAspire.Fault.Tests;

public sealed class WorkerStartTests
{
    [LinuxFact(Timeout = 120_000)]
    public async Task A_worker_with_MaxConcurrentRuns_0_refuses_to_start_and_says_why()
    {
        // Arrange
        await using var cluster = await FaultCluster.StartAsync(concurrency: 0);

        // Act
        var worker = cluster.StartWorker("options-zero");
        await FaultCluster.WaitUntilAsync(() => Task.FromResult(worker.HasExited), TimeSpan.FromSeconds(60), "the worker to exit");

        // Assert
        var log = worker.ReadLog();
        Assert.Contains("Worker:MaxConcurrentRuns is 0; it must be at least 1", log, StringComparison.Ordinal);
        Assert.Equal(0, await cluster.LeasesHeldByAsync("options-zero/"));
    }

    [LinuxFact(Timeout = 120_000)]
    public async Task A_worker_started_while_Valkey_is_away_picks_up_work_once_Valkey_is_there()
    {
        // Arrange: Valkey down before the worker starts
        await using var cluster = await FaultCluster.StartAsync();
        var runId = await cluster.CreateRunAsync("Does a worker wait for Valkey at start?", stepDelayMs: 0, "late");
        await cluster.WaitUntilOnDiskAsync();
        await cluster.Valkey.KillAsync();
        var worker = cluster.StartWorker("late-start");
        // The worker is up and has met the absence (it says so): only then is Valkey's start "later" than the worker's.
        await FaultCluster.WaitUntilAsync(() => Task.FromResult(WorkerProcess.Count(worker.ReadLog(), WorkerProcess.ValkeyAway) > 0),
            TimeSpan.FromSeconds(60), "the worker to find Valkey away", () => "Its log:\n" + worker.ReadLog());

        // Act
        await cluster.Valkey.StartAsync();
        var ended = await cluster.WaitForEndAsync([runId], TimeSpan.FromSeconds(60));

        // Assert
        Assert.False(worker.HasExited, worker.ReadLog());
        new RunAudit().Check(ended[runId], await cluster.ReadLogAsync(runId));
    }
}
