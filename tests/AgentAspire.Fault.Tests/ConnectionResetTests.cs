using StackExchange.Redis;

namespace AgentAspire.Fault.Tests;

public sealed class ConnectionResetTests
{
    private const int Resets = 6;

    [LinuxFact(Timeout = 180_000)]
    public async Task No_run_fails_when_every_client_connection_is_reset_again_and_again_under_load()
    {
        // Arrange
        await using var cluster = await FaultCluster.StartAsync(concurrency: 8);
        WorkerProcess[] workers = [cluster.StartWorker("reset-a"), cluster.StartWorker("reset-b")];
        var runs = await cluster.CreateRunsAsync(100, stepDelayMs: 200, "reset");

        // Act: CLIENT KILL TYPE normal drops every command connection but the caller's (SKIPME yes), each time
        // once both workers are connected again
        var clientsKilled = 0L;
        for (var reset = 0; reset < Resets; reset++)
        {
            await FaultCluster.WaitUntilAsync(async () => await OtherClientsAsync(cluster) >= 2, TimeSpan.FromSeconds(30), "both workers to reconnect");
            await Task.Delay(300, TestContext.Current.CancellationToken);
            clientsKilled += (long)await cluster.Db.ExecuteAsync("CLIENT", "KILL", "TYPE", "normal");
        }

        var ended = await cluster.WaitForEndAsync(runs, TimeSpan.FromSeconds(120));

        // Assert
        var interrupted = workers.Sum(worker => WorkerProcess.Count(worker.ReadLog(), WorkerProcess.AttemptInterrupted));
        var audit = new RunAudit();
        foreach (var runId in runs)
        {
            audit.Check(ended[runId], await cluster.ReadLogAsync(runId));
        }

        Figures.Print("connection resets",
            ("runs", audit.Runs), ("resets", Resets), ("client connections killed", clientsKilled),
            ("claims (started + resumed)", audit.Claims), ("failed runs", ended.Values.Count(run => run.Status == "failed")),
            ("attempts interrupted (worker logs)", interrupted));
        Assert.True(clientsKilled >= Resets, $"only {clientsKilled} connections were reset");
        // The resets really cut attempts short, and they were claimed again: without them every run is claimed once.
        // Interrupted attempts and resumes are reported, not asserted: a reset between two commands interrupts nothing,
        // and a whole-suite run saw a round where every reset fell between commands.
        Assert.All(ended.Values, run => Assert.Equal("complete", run.Status));
    }

    private static async Task<int> OtherClientsAsync(FaultCluster cluster)
    {
        var list = (string)(await cluster.Db.ExecuteAsync("CLIENT", "LIST", "TYPE", "normal"))!;
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
    }
}
