using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.App.Tests;

/// <summary>
/// The AppHost with <c>Valkey:Topology=cluster</c>: three primaries with a replica each, three worker replicas.
/// Runs complete while slots move between primaries and while a primary dies and its replica takes over.
/// </summary>
public sealed class ClusterAppTests(ClusterAppFixture fixture) : IClassFixture<ClusterAppFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] ResearchSteps = ["plan", "search", "analyze", "respond"];

    private RunningApp Running => fixture.Running;

    [Fact]
    public async Task Two_hundred_runs_on_three_workers_all_complete_with_keys_on_every_primary()
    {
        // Act
        var runIds = await StartRunsAsync(200, stepDelayMs: 0);
        await WaitForCompleteAsync(runIds);

        // Assert: every step once, in order; a run whose steps two workers committed was resumed, not redone (a worker
        // starved past its 5 s lease on a loaded machine hands its runs over); every primary holds run keys; more than
        // one worker took part
        var workers = new HashSet<string>();
        var resumedRuns = 0;
        foreach (var runId in runIds)
        {
            var log = await Running.Log.ReadAllAsync(runId, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
            var steps = log.Where(entry => ResearchSteps.Contains(entry.Action)).ToList();
            Assert.Equal(ResearchSteps, steps.Select(entry => entry.Action));
            var stepWorkers = steps.Select(entry => entry.Worker).Distinct().ToList();
            if (stepWorkers.Count > 1)
            {
                Assert.Contains(log, entry => entry.Action == "resumed");
                resumedRuns++;
            }

            workers.UnionWith(stepWorkers);
        }

        TestContext.Current.SendDiagnosticMessage($"{resumedRuns} of {runIds.Count} runs were resumed by another worker after a lost lease.");

        foreach (var primary in Primaries())
        {
            var keys = new List<string>();
            await foreach (var key in primary.KeysAsync(pattern: "agent:state:*", pageSize: 1000))
            {
                keys.Add(key.ToString());
            }

            Assert.True(keys.Count(key => runIds.Any(runId => key == AgentKeys.State(runId))) > 10, $"primary {primary.EndPoint} holds {keys.Count} run states");
        }

        Assert.True(workers.Count >= 2, $"runs were taken by {workers.Count} worker(s)");
        var listed = await Running.Store.ListAsync(new RunQuery(Status: RunStatus.Complete, Limit: 200));
        Assert.Equal(200, listed.Items.Count);
    }

    [Fact]
    public async Task Runs_in_flight_complete_while_slots_migrate_between_primaries()
    {
        // Arrange: runs whose steps take a while, so they are mid-run when their slots move
        var (source, target) = TwoPrimaries();
        var runIds = await StartRunsAsync(60, stepDelayMs: 200);

        // Act: move a third of the source's slots to the target, live
        var output = await ValkeyCliAsync("--cluster", "reshard", source.Address, "--cluster-from", source.Id, "--cluster-to", target.Id,
            "--cluster-slots", "1800", "--cluster-yes");

        // Assert
        Assert.Contains("Moving slot", output, StringComparison.Ordinal);
        await WaitForCompleteAsync(runIds);
        var after = ClusterNodes().Single(node => node.Id == target.Id);
        Assert.True(after.Slots > target.Slots, $"target owns {after.Slots} slots, before {target.Slots}");
    }

    [Fact]
    public async Task Runs_in_flight_complete_when_a_primary_dies_and_its_replica_takes_over()
    {
        // Arrange: a primary that has a live replica and owns slots
        var nodes = ClusterNodes();
        var victim = nodes.First(node => node.IsPrimary && node.Slots > 0 && nodes.Any(replica => replica.PrimaryId == node.Id));
        var replica = nodes.First(node => node.PrimaryId == victim.Id);
        var runIds = await StartRunsAsync(60, stepDelayMs: 200);
        // Runs mid-run when the primary dies: some have committed a step and none of those has finished yet.
        await Poll.UntilAsync(async () =>
        {
            var checkpoints = await Task.WhenAll(runIds.Select(runId => Running.Store.GetAsync(runId)));
            return checkpoints.Count(run => run is { Status: RunStatus.InProgress, CurrentStep: > 0 }) >= 5;
        }, TimeSpan.FromMinutes(1), "runs in flight");

        // Act: SIGKILL the primary's process (a node this test's AppHost started)
        using (var process = Process.GetProcessById(await fixture.NodeProcessIdAsync(victim.Port)))
        {
            process.Kill();
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        // Assert: the replica is promoted and every run completes, none failed
        await Poll.UntilAsync(() => Task.FromResult(ClusterNodes(replica.Port).Single(node => node.Id == replica.Id).IsPrimary),
            TimeSpan.FromMinutes(1), "the replica is promoted");
        await WaitForCompleteAsync(runIds);
    }

    private async Task<List<string>> StartRunsAsync(int count, int stepDelayMs)
    {
        var runIds = Enumerable.Range(0, count).Select(_ => RunIds.NewRunId()).ToList();
        await Task.WhenAll(runIds.Select((runId, i) => Running.Store.CreateAsync(new NewRun(runId, "research",
            JsonSerializer.Serialize(new { question = $"How does a cluster keep run {i} going?", stepDelayMs }), $"cluster-{runId}"))));
        return runIds;
    }

    private async Task WaitForCompleteAsync(List<string> runIds)
    {
        var statuses = new Dictionary<string, string?>();
        await Poll.UntilAsync(async () =>
        {
            foreach (var runId in runIds.Where(runId => statuses.GetValueOrDefault(runId) is not RunStatus.Complete))
            {
                try
                {
                    statuses[runId] = (await Running.Store.GetAsync(runId))?.Status;
                }
                catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
                {
                    // The test's own reads see the failover too; read again.
                }
            }

            Assert.DoesNotContain(statuses, pair => pair.Value is RunStatus.Failed or RunStatus.Cancelled);
            return runIds.All(runId => statuses.GetValueOrDefault(runId) == RunStatus.Complete);
        }, RunTimeout, "every run completes");
    }

    private IEnumerable<IServer> Primaries() =>
        Running.Connection.GetServers().Where(server => server.IsConnected && !server.IsReplica);

    private (ClusterNode Source, ClusterNode Target) TwoPrimaries()
    {
        var primaries = ClusterNodes().Where(node => node.IsPrimary && node.Slots > 0).OrderByDescending(node => node.Slots).ToList();
        return (primaries[0], primaries[^1]);
    }

    private List<ClusterNode> ClusterNodes(int? port = null)
    {
        var server = port is { } p
            ? Running.Connection.GetServer("127.0.0.1", p)
            : Running.Connection.GetServers().First(server => server.IsConnected);
        var text = (string)server.Execute("CLUSTER", "NODES")!;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ClusterNode.Parse).ToList();
    }

    private async Task<string> ValkeyCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("valkey-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["REDISCLI_AUTH"] = fixture.Password;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(start)!;
        var output = cli.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = cli.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await cli.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(cli.ExitCode == 0, $"valkey-cli {string.Join(' ', arguments)} exited with {cli.ExitCode}: {await error}");
        return await output;
    }

    /// <summary>One line of CLUSTER NODES: id, address, flags, primary id, slot ranges.</summary>
    private sealed record ClusterNode(string Id, string Address, int Port, bool IsPrimary, string? PrimaryId, int Slots)
    {
        public static ClusterNode Parse(string line)
        {
            var fields = line.Split(' ');
            var address = fields[1].Split('@')[0];
            var slots = fields.Skip(8).Where(range => !range.StartsWith('[')).Sum(range =>
            {
                var bounds = range.Split('-');
                return bounds.Length == 1 ? 1 : int.Parse(bounds[1], CultureInfo.InvariantCulture) - int.Parse(bounds[0], CultureInfo.InvariantCulture) + 1;
            });
            var isPrimary = fields[2].Contains("master", StringComparison.Ordinal) && !fields[2].Contains("fail", StringComparison.Ordinal);
            return new ClusterNode(fields[0], address, int.Parse(address.Split(':')[1], CultureInfo.InvariantCulture), isPrimary,
                fields[3] == "-" ? null : fields[3], slots);
        }
    }
}

/// <summary>The app on a local cluster of three primaries with a replica each, and three worker replicas, for one test class.</summary>
public sealed class ClusterAppFixture : IAsyncLifetime
{
    private RunningApp? _running;

    internal RunningApp Running => _running ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The cluster's password, for valkey-cli.</summary>
    public string Password => ConfigurationOptions.Parse(Running.ConnectionString).Password!;

    public async ValueTask InitializeAsync() =>
        _running = await RunningApp.StartAsync(["--Valkey:Topology=cluster", "--Valkey:ClusterReplicas=1", "--Worker:Replicas=3"], builder =>
        {
            // A short lease, so a run whose worker lost Valkey for a moment is taken over soon.
            foreach (var service in new[] { "worker", "api" })
            {
                builder.CreateResourceBuilder<ProjectResource>(service).WithEnvironment("AgentState__LeaseDuration", "00:00:05");
            }
        });

    /// <summary>The process id of the cluster node listening on <paramref name="port"/>.</summary>
    public async Task<int> NodeProcessIdAsync(int port)
    {
        var model = Running.App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var node in model.Resources.OfType<ValkeyClusterNodeResource>())
        {
            if (node.Endpoint.Port != port)
            {
                continue;
            }

            var snapshot = await Running.App.ResourceNotifications.WaitForResourceAsync(node.Name,
                e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), TestContext.Current.CancellationToken);
            return Convert.ToInt32(snapshot.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"No cluster node listens on port {port}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }
    }
}
