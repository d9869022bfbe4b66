using AgentAspire.AgentState;
using StackExchange.Redis;

namespace AgentAspire.Fault.Tests;

public sealed class ConnectionResetTests
{
    private const int Resets = 6;

    // The longest a reset waits for a held script; the pause ends with it at the latest. Short beside the 2 s lease and
    // the 3 s command timeout: held this long, no renewal is late and no command times out, so the pause alone ends no attempt.
    private static readonly TimeSpan HoldLimit = TimeSpan.FromMilliseconds(500);

    [LinuxFact(Timeout = 180_000)]
    public async Task No_run_fails_when_every_client_connection_is_reset_again_and_again_under_load()
    {
        // Arrange
        await using var cluster = await FaultCluster.StartAsync(concurrency: 8);
        WorkerProcess[] workers = [cluster.StartWorker("reset-a"), cluster.StartWorker("reset-b")];
        // Enough work for every reset to find runs in flight, the interrupted ones waiting out their lease first, even
        // on a quiet machine, where the workers get through the runs fastest.
        var runs = await cluster.CreateRunsAsync(250, stepDelayMs: 400, "reset");

        // Act: CLIENT KILL TYPE normal drops every command connection but the caller's (SKIPME yes), each time once both
        // workers are connected again and while a worker's script waits on the server, held by a short write pause, so
        // the reset lands inside a command rather than between two
        var clientsKilled = 0L;
        var heldAtReset = 0;
        var cutShort = new HashSet<string>();
        for (var reset = 0; reset < Resets; reset++)
        {
            var clients = 0;
            await FaultCluster.WaitUntilAsync(async () => (clients = await OtherClientsAsync(cluster)) >= 2, TimeSpan.FromSeconds(30),
                $"both workers to reconnect before reset {reset + 1}", () => $"{clients} worker connections\n{cluster.WorkerLogs()}");
            // Runs claimed since the last reset: the leases of the attempts it cut short linger until they expire.
            var claimedSince = 0;
            await FaultCluster.WaitUntilAsync(async () => (claimedSince = (await LeasesAsync(cluster, runs)).Except(cutShort).Count()) >= 4, TimeSpan.FromSeconds(30),
                $"runs in flight again before reset {reset + 1}", () => $"{claimedSince} runs claimed since the last reset\n{cluster.WorkerLogs()}");
            await cluster.Db.ExecuteAsync("CLIENT", "PAUSE", ((long)HoldLimit.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "WRITE");
            try
            {
                // Once the runs are nearly all done there may be no script to hold; the reset goes ahead at the limit.
                var holding = System.Diagnostics.Stopwatch.StartNew();
                int held;
                while ((held = await HeldScriptsAsync(cluster)) == 0 && holding.Elapsed < HoldLimit)
                {
                    await Task.Delay(20, TestContext.Current.CancellationToken);
                }

                heldAtReset += held;
                clientsKilled += (long)await cluster.Db.ExecuteAsync("CLIENT", "KILL", "TYPE", "normal");
                cutShort = await LeasesAsync(cluster, runs);
            }
            finally
            {
                await cluster.Db.ExecuteAsync("CLIENT", "UNPAUSE");
            }
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
            ("scripts held at a reset", heldAtReset), ("attempts interrupted (worker logs)", interrupted));
        Assert.True(clientsKilled >= Resets, $"only {clientsKilled} connections were reset");
        // The resets really cut attempts short, and they were claimed again: without them every run is claimed once.
        Assert.True(interrupted > 0, "no worker logged an interrupted attempt:\n" + cluster.WorkerLogs());
        Assert.True(audit.Claims > audit.Runs, $"{audit.Claims} claims for {audit.Runs} runs: no attempt was resumed");
        Assert.All(ended.Values, run => Assert.Equal("complete", run.Status));
    }

    private static async Task<int> OtherClientsAsync(FaultCluster cluster)
    {
        var list = (string)(await cluster.Db.ExecuteAsync("CLIENT", "LIST", "TYPE", "normal"))!;
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
    }

    // The runs' leases held now, each a worker's name and its attempt's token.
    private static async Task<HashSet<string>> LeasesAsync(FaultCluster cluster, List<string> runs)
    {
        var leases = await cluster.Db.StringGetAsync(runs.Select(runId => (RedisKey)AgentKeys.Lease(runId)).ToArray());
        return leases.Where(lease => lease.HasValue).Select(lease => lease.ToString()).ToHashSet();
    }

    // Worker connections whose script or function (a commit, a lease renewal, a log write) waits on the server, held by
    // the pause.
    private static async Task<int> HeldScriptsAsync(FaultCluster cluster)
    {
        var list = (string)(await cluster.Db.ExecuteAsync("CLIENT", "LIST", "TYPE", "normal"))!;
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Count(fields => (fields.Contains("cmd=fcall") || fields.Contains("cmd=evalsha") || fields.Contains("cmd=eval"))
                && fields.Any(field => field.StartsWith("flags=", StringComparison.Ordinal) && field.Contains('b', StringComparison.Ordinal)));
    }
}
