using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace AgentAspire.Bench.Measuring;

/// <summary>
/// A private Valkey Cluster of three primaries: <c>valkey-server</c> processes with <c>cluster-enabled yes</c> on free
/// loopback ports (no persistence, their own temp dir, a random password), joined by <c>valkey-cli --cluster create</c>;
/// stopped and removed on dispose.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private const int Primaries = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<Process> _nodes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("agentaspire-bench-cluster-").FullName;

    private LocalCluster()
    {
    }

    /// <summary>The primaries' endpoints.</summary>
    public List<EndPoint> EndPoints { get; } = [];

    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>Starts the nodes and returns once every node reports <c>cluster_state:ok</c> and every primary takes writes.</summary>
    public static async Task<LocalCluster> StartAsync(CancellationToken cancellationToken)
    {
        var cluster = new LocalCluster();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            await cluster.CreateAsync(timeout.Token).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var ports = new List<int>();
        for (var node = 0; node < Primaries; node++)
        {
            ports.Add(await StartNodeAsync(node, cancellationToken).ConfigureAwait(false));
        }

        var create = new ProcessStartInfo("valkey-cli") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // The password goes through the environment, not the command line.
        create.Environment["REDISCLI_AUTH"] = Password;
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var port in ports)
        {
            create.ArgumentList.Add($"127.0.0.1:{Invariant(port)}");
        }

        foreach (var argument in (string[])["--cluster-replicas", "0", "--cluster-yes"])
        {
            create.ArgumentList.Add(argument);
        }

        using (var cli = Process.Start(create) ?? throw new InvalidOperationException("Could not start valkey-cli."))
        {
            var output = cli.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = cli.StandardError.ReadToEndAsync(cancellationToken);
            await cli.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (cli.ExitCode != 0)
            {
                throw new InvalidOperationException($"valkey-cli --cluster create failed: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
            }
        }

        while (!(await Task.WhenAll(ports.Select(ClusterStateAsync)).ConfigureAwait(false)).All(state => state == "ok"))
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        // A node may say ok a moment before it serves its slots: write a key of every slot range until all accept.
        var options = new ConfigurationOptions { Password = Password, AbortOnConnectFail = true };
        EndPoints.ForEach(options.EndPoints.Add);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        var probes = Enumerable.Range(0, 64).Select(i => (RedisKey)$"bench:probe:{{{i}}}").ToList();
        while (true)
        {
            try
            {
                await Task.WhenAll(probes.Select(key => connection.GetDatabase().KeyDeleteAsync(key))).ConfigureAwait(false);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal))
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A port found free can be taken before the node binds it: any client may get it as its source port, even the
    // probe below connecting to it (a TCP self-connect). The node then exits at once, so each node gets fresh ports
    // and a fresh directory (its nodes.conf is written before it binds), up to three times. Returns the port of a
    // node that answers.
    private async Task<int> StartNodeAsync(int node, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = AppProcess.FreePort();
            var directory = Directory.CreateDirectory(Path.Combine(_directory, $"node-{node}-{attempt}")).FullName;
            var log = Path.Combine(directory, "valkey.log");
            // A long node timeout: a busy machine must not make the nodes think one of them failed.
            var start = new ProcessStartInfo("valkey-server") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var argument in new[]
            {
                "--bind", "127.0.0.1", "--port", Invariant(port), "--cluster-enabled", "yes",
                "--cluster-port", Invariant(AppProcess.FreePort()), "--cluster-config-file", Path.Combine(directory, "nodes.conf"),
                "--cluster-node-timeout", "15000", "--dir", directory, "--save", "", "--appendonly", "no",
                "--requirepass", Password, "--masterauth", Password, "--daemonize", "no", "--logfile", log,
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start valkey-server.");
            _nodes.Add(process); // stopped on dispose, whatever happens next
            while (!process.HasExited && await ClusterStateAsync(port).ConfigureAwait(false) is null)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }

            if (!process.HasExited)
            {
                EndPoints.Add(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }

            if (attempt == 3)
            {
                var lines = File.Exists(log) ? File.ReadLines(log).TakeLast(5) : ["(no log)"];
                throw new InvalidOperationException(
                    $"A cluster node (valkey-server) exited with code {process.ExitCode} three times. Its log ends:\n{string.Join('\n', lines)}");
            }
        }
    }

    // The node's cluster_state, or null while it does not answer yet.
    private async Task<string?> ClusterStateAsync(int port)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { new IPEndPoint(IPAddress.Loopback, port) },
            Password = Password,
            AbortOnConnectFail = true,
            ConnectRetry = 0,
            ConnectTimeout = 2000,
        };
        try
        {
            await using var node = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            var info = (string?)await node.GetServers()[0].ExecuteAsync("CLUSTER", "INFO").ConfigureAwait(false) ?? "";
            var line = info.Split('\n').FirstOrDefault(text => text.StartsWith("cluster_state:", StringComparison.Ordinal));
            return line?["cluster_state:".Length..].Trim() ?? "";
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (!node.HasExited)
            {
                node.Kill();
                await node.WaitForExitAsync().ConfigureAwait(false);
            }

            node.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
