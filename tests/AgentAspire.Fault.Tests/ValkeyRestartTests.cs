using System.Diagnostics;
using System.Globalization;
using AgentAspire.AgentState;

namespace AgentAspire.Fault.Tests;

public sealed class ValkeyRestartTests
{
    [LinuxFact(Timeout = 240_000)]
    public async Task Every_acknowledged_run_completes_after_Valkey_is_killed_under_load_and_restarts_from_its_AOF()
    {
        // Arrange: two workers busy with runs
        await using var cluster = await FaultCluster.StartAsync();
        var first = cluster.StartWorker("restart-a");
        var second = cluster.StartWorker("restart-b");
        var acknowledged = await cluster.CreateRunsAsync(40, stepDelayMs: 600, "before");
        await FaultCluster.WaitUntilAsync(async () => await cluster.LeasesHeldByAsync("restart-") >= 8, TimeSpan.FromSeconds(30), "runs in flight");
        var inFlightAtKill = await cluster.LeasesHeldByAsync("restart-");
        // The starts are acknowledged; on a busy disk everysec may still hold them back from the AOF (RELIABILITY.md).
        await cluster.WaitUntilOnDiskAsync();

        // Act: SIGKILL Valkey, try to start runs while it is away, start it again on the same port from its AOF
        await cluster.Valkey.KillAsync();
        var outage = Stopwatch.StartNew();
        var refused = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(3))
        {
            try
            {
                acknowledged.Add(await cluster.CreateRunAsync($"asked during the outage {refused}", 200, "outage"));
            }
            catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
            {
                refused++;
            }
        }

        await cluster.Valkey.StartAsync();
        await FaultCluster.WaitUntilAsync(async () => (await cluster.Db.PingAsync()) >= TimeSpan.Zero, TimeSpan.FromSeconds(30), "Valkey to load its AOF");
        var outageSeconds = outage.Elapsed.TotalSeconds;
        acknowledged.AddRange(await cluster.CreateRunsAsync(20, stepDelayMs: 200, "after"));
        var ended = await cluster.WaitForEndAsync(acknowledged, TimeSpan.FromSeconds(150));

        // Assert: the same worker processes, never restarted, finished everything acknowledged
        var audit = new RunAudit();
        foreach (var runId in acknowledged)
        {
            audit.Check(ended[runId], await cluster.ReadLogAsync(runId));
        }

        Figures.Print("Valkey SIGKILL + AOF restart",
            ("runs acknowledged", acknowledged.Count), ("runs in flight at the kill", inFlightAtKill), ("starts refused while away", refused), ("outage s", outageSeconds.ToString("F1", CultureInfo.InvariantCulture)),
            ("completed", ended.Values.Count(run => run.Status == RunStatus.Complete)), ("failed", ended.Values.Count(run => run.Status == RunStatus.Failed)),
            ("claims (started + resumed)", audit.Claims));
        Assert.False(first.HasExited || second.HasExited, cluster.WorkerLogs());
        Assert.True(refused > 0, "no start was refused while Valkey was away");
        Assert.True(audit.Claims > acknowledged.Count, "no run was interrupted by the outage and resumed");
    }
}
