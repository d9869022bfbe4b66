using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using AgentAspire.AgentState;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// A real <c>valkey-server</c> on a free loopback port, with a temp dir, no persistence and a random password; or,
/// with <c>AGENTSTATE_TEST_TOPOLOGY=cluster</c>, a real Valkey Cluster of three primaries (cluster-enabled processes
/// joined by <c>valkey-cli --cluster create</c>). One per test class: tests of a class run one after another, classes
/// run in parallel on their own servers.
/// </summary>
public sealed class ValkeyServerFixture : IAsyncLifetime
{
    /// <summary>Environment variable that points at the <c>valkey-server</c> binary when it is not on PATH.</summary>
    public const string ServerPathVariable = "VALKEY_SERVER_PATH";

    /// <summary>Environment variable that selects the topology: <c>standalone</c> (default) or <c>cluster</c>.</summary>
    public const string TopologyVariable = "AGENTSTATE_TEST_TOPOLOGY";

    private const int ClusterPrimaries = 3;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly List<IConnectionMultiplexer> _extraConnections = [];
    private readonly List<Process> _servers = [];
    private readonly List<int> _clusterPorts = [];
    private string? _directory;

    /// <summary>Whether the tests run against a cluster of three primaries instead of one server.</summary>
    public static bool IsCluster { get; } =
        string.Equals(Environment.GetEnvironmentVariable(TopologyVariable), "cluster", StringComparison.OrdinalIgnoreCase);

    /// <summary>The port the server listens on (127.0.0.1); on a cluster, the first primary's.</summary>
    public int Port { get; private set; }

    /// <summary>The server's password (<c>requirepass</c>).</summary>
    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The shared connection of the tests, with admin commands allowed (FLUSHDB, SHUTDOWN).</summary>
    public ConnectionMultiplexer Connection { get; private set; } = null!;

    /// <summary>The server's database 0 (on a cluster, every command goes to the primary of its key's slot).</summary>
    public IDatabase Database => Connection.GetDatabase();

    /// <summary>The primaries (one server unless <see cref="IsCluster"/>), for SCAN, INFO and admin commands.</summary>
    public IReadOnlyList<IServer> Primaries =>
        Connection.GetServers().Where(server => !server.IsReplica).ToList();

    /// <summary>Every key on every primary.</summary>
    public async Task<List<string>> AllKeysAsync()
    {
        var keys = new List<string>();
        foreach (var primary in Primaries)
        {
            await foreach (var key in primary.KeysAsync(pattern: "*", pageSize: 100))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }

    public async ValueTask InitializeAsync()
    {
        var serverPath = FindServer();
        _directory = Directory.CreateTempSubdirectory("agentstate-tests-").FullName;
        try
        {
            if (IsCluster)
            {
                await StartClusterAsync(serverPath).ConfigureAwait(false);
                return;
            }

            Port = await StartServerAsync(serverPath, clusterNode: false).ConfigureAwait(false);
            Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionOptions()).ConfigureAwait(false);
        }
        catch
        {
            // No server was told to shut down: stop them at once.
            await StopServersAsync(TimeSpan.Zero).ConfigureAwait(false);
            DeleteDirectory();
            throw;
        }
    }

    /// <summary>Options of a new connection to this server.</summary>
    public ConfigurationOptions ConnectionOptions(bool withPassword = true)
    {
        var options = new ConfigurationOptions
        {
            Password = withPassword ? Password : null,
            AllowAdmin = true,
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            SyncTimeout = 10000,
            AsyncTimeout = 10000,
        };
        foreach (var port in _clusterPorts.Count > 0 ? _clusterPorts : [Port])
        {
            options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, port));
        }

        return options;
    }

    /// <summary>Opens another connection, standing for another process; closed with the fixture.</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionOptions()).ConfigureAwait(false);
        lock (_extraConnections)
        {
            _extraConnections.Add(connection);
        }

        return connection;
    }

    /// <summary>
    /// The AgentState services over <paramref name="connection"/> (default: <see cref="Connection"/>), as an app
    /// registers them. Each call builds fresh singletons, so one provider stands for one process.
    /// </summary>
    public ServiceProvider CreateServices(Action<AgentStateOptions>? configure = null, IConnectionMultiplexer? connection = null) =>
        new ServiceCollection()
            .AddSingleton(connection ?? Connection)
            .AddLogging()
            .AddAgentState(configure)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    /// <summary>Empties every primary, for a test that needs the global keys (queue, index) to itself.</summary>
    public Task FlushAsync() => Task.WhenAll(Primaries.Select(primary => primary.FlushDatabaseAsync()));

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _extraConnections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (Connection is not null)
        {
            foreach (var server in Connection.GetServers())
            {
                try
                {
                    // SHUTDOWN NOSAVE: the connection drops as the server exits, which is the expected answer.
                    server.Shutdown(ShutdownMode.Never);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                }
            }

            await Connection.DisposeAsync().ConfigureAwait(false);
        }

        await StopServersAsync(StopTimeout).ConfigureAwait(false);
        DeleteDirectory();
    }

    // Three cluster-enabled primaries on free ports (their bus ports chosen too), joined by valkey-cli, then one
    // connection that knows them all once every node reports cluster_state:ok. A long node timeout: a busy test
    // machine must not make the nodes think one of them failed (no test here fails a node over).
    private async Task StartClusterAsync(string serverPath)
    {
        for (var node = 0; node < ClusterPrimaries; node++)
        {
            _clusterPorts.Add(await StartServerAsync(serverPath, clusterNode: true).ConfigureAwait(false));
        }

        Port = _clusterPorts[0];
        var cliPath = Path.Combine(Path.GetDirectoryName(serverPath)!, "valkey-cli");
        var create = new ProcessStartInfo(File.Exists(cliPath) ? cliPath : "valkey-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        create.Environment["REDISCLI_AUTH"] = Password;
        string[] arguments = ["--cluster", "create", .. _clusterPorts.Select(port => $"127.0.0.1:{port}"), "--cluster-replicas", "0", "--cluster-yes"];
        foreach (var argument in arguments)
        {
            create.ArgumentList.Add(argument);
        }

        using (var cli = Process.Start(create) ?? throw new InvalidOperationException("Could not start valkey-cli."))
        {
            var output = cli.StandardOutput.ReadToEndAsync();
            var error = cli.StandardError.ReadToEndAsync();
            await cli.WaitForExitAsync().WaitAsync(StartTimeout).ConfigureAwait(false);
            if (cli.ExitCode != 0)
            {
                throw new InvalidOperationException($"valkey-cli --cluster create failed: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
            }
        }

        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            var states = await Task.WhenAll(_clusterPorts.Select(ClusterStateAsync)).ConfigureAwait(false);
            if (states.All(state => state == "ok"))
            {
                break;
            }

            await Task.Delay(100, deadline.Token).ConfigureAwait(false);
        }

        // A node may say ok a moment before it serves its slots: write to every primary until all of them accept.
        Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionOptions()).ConfigureAwait(false);
        var probes = Enumerable.Range(0, 8).Select(shard => (RedisKey)AgentKeys.RunIndex(shard)).ToList();
        while (true)
        {
            try
            {
                await Task.WhenAll(probes.Select(key => Database.KeyDeleteAsync(key))).ConfigureAwait(false);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) && !deadline.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    // Starts one valkey-server (a cluster node if asked) on a free port and returns the port once it answers PING. A
    // port found free can be taken before the server binds it: any client may get it as its source port, even the
    // probe below connecting to it (a TCP self-connect). The server then exits at once, so it is started again on
    // fresh ports in a fresh directory (a node writes its nodes.conf before it binds), up to three times.
    private async Task<int> StartServerAsync(string serverPath, bool clusterNode)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = TestMachine.FreePort();
            var directory = Directory.CreateDirectory(Path.Combine(_directory!, $"server-{port}")).FullName;
            var log = Path.Combine(directory, "valkey.log");
            var start = new ProcessStartInfo(serverPath)
            {
                ArgumentList =
                {
                    "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", directory,
                    "--save", "", "--appendonly", "no", "--requirepass", Password, "--daemonize", "no", "--logfile", log,
                },
                UseShellExecute = false,
            };
            if (clusterNode)
            {
                // A long node timeout: a busy test machine must not make the nodes think one of them failed.
                foreach (var argument in (string[])[
                    "--cluster-enabled", "yes", "--cluster-port", TestMachine.FreePort().ToString(CultureInfo.InvariantCulture),
                    "--cluster-config-file", Path.Combine(directory, "nodes.conf"), "--cluster-node-timeout", "15000", "--masterauth", Password])
                {
                    start.ArgumentList.Add(argument);
                }
            }

            var server = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {serverPath}.");
            _servers.Add(server); // stopped on dispose, whatever happens next

            using var deadline = new CancellationTokenSource(StartTimeout);
            while (!server.HasExited && !await AnswersAsync(port).ConfigureAwait(false))
            {
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"valkey-server on port {port} did not answer PING within {StartTimeout.TotalSeconds} s. Its log:\n{ReadLog(log)}");
                }

                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            }

            if (!server.HasExited)
            {
                return port;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"valkey-server exited with code {server.ExitCode} three times. Its log:\n{ReadLog(log)}");
            }
        }
    }

    private async Task<bool> AnswersAsync(int port)
    {
        try
        {
            await using var server = await ConnectionMultiplexer.ConnectAsync(ProbeOptions(port)).ConfigureAwait(false);
            await server.GetServers()[0].PingAsync().ConfigureAwait(false);
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }

    // A short-lived connection to one server that fails fast while it does not listen yet.
    private ConfigurationOptions ProbeOptions(int port) =>
        new() { EndPoints = { new IPEndPoint(IPAddress.Loopback, port) }, Password = Password, AbortOnConnectFail = true, ConnectTimeout = 1000 };

    // The node's cluster_state, or null while it does not answer yet.
    private async Task<string?> ClusterStateAsync(int port)
    {
        try
        {
            await using var node = await ConnectionMultiplexer.ConnectAsync(ProbeOptions(port)).ConfigureAwait(false);
            var info = (string?)await node.GetDatabase().ExecuteAsync("CLUSTER", "INFO").ConfigureAwait(false) ?? "";
            var line = info.Split('\n').FirstOrDefault(text => text.StartsWith("cluster_state:", StringComparison.Ordinal));
            return line?["cluster_state:".Length..].Trim() ?? "";
        }
        catch (RedisConnectionException)
        {
            return null;
        }
    }

    // Waits for each server to exit (after SHUTDOWN), killing one that does not within grace.
    private async Task StopServersAsync(TimeSpan grace)
    {
        foreach (var server in _servers)
        {
            using (server)
            {
                if (!server.HasExited)
                {
                    using var wait = new CancellationTokenSource(grace);
                    try
                    {
                        await server.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        server.Kill(entireProcessTree: true);
                        await server.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
        }

        _servers.Clear();
    }

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log)";

    private void DeleteDirectory()
    {
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string FindServer()
    {
        var configured = Environment.GetEnvironmentVariable(ServerPathVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{ServerPathVariable} points at '{configured}', which does not exist. Run eng/setup.sh or fix the variable.");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "valkey-server"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            $"valkey-server is neither on PATH nor named by {ServerPathVariable}. Run eng/setup.sh to install it (Debian bookworm-backports).");
    }
}
