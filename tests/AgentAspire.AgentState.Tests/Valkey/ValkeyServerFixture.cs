using System.Net;
using AgentAspire.AgentState;
using AgentAspire.LocalValkey;
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
    /// <summary>Environment variable that selects the topology: <c>standalone</c> (default) or <c>cluster</c>.</summary>
    public const string TopologyVariable = "AGENTSTATE_TEST_TOPOLOGY";

    private readonly List<IConnectionMultiplexer> _extraConnections = [];
    private LocalValkeyServer? _server;
    private LocalValkeyCluster? _cluster;

    /// <summary>Whether the tests run against a cluster of three primaries instead of one server.</summary>
    public static bool IsCluster { get; } =
        string.Equals(Environment.GetEnvironmentVariable(TopologyVariable), "cluster", StringComparison.OrdinalIgnoreCase);

    /// <summary>The port the server listens on (127.0.0.1); on a cluster, the first primary's.</summary>
    public int Port => _cluster?.Ports[0] ?? _server?.Port ?? 0;

    /// <summary>The server's password (<c>requirepass</c>).</summary>
    public string Password => _cluster?.Password ?? _server?.Password ?? "";

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
        try
        {
            if (IsCluster)
            {
                _cluster = await LocalValkeyCluster.StartAsync(options: Options).ConfigureAwait(false);
            }
            else
            {
                _server = await LocalValkeyServer.StartAsync(Options).ConfigureAwait(false);
            }

            Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionOptions()).ConfigureAwait(false);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
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
        foreach (var port in _cluster?.Ports ?? [Port])
        {
            options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, port));
        }

        return options;
    }

    /// <summary>
    /// Opens another connection, standing for another process, from the options <paramref name="configure"/> gives
    /// (default: <see cref="ConnectionOptions"/> as they are); closed with the fixture.
    /// </summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(Func<ConfigurationOptions, ConfigurationOptions>? configure = null)
    {
        var options = ConnectionOptions();
        var connection = await ConnectionMultiplexer.ConnectAsync(configure?.Invoke(options) ?? options).ConfigureAwait(false);
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
            await Connection.DisposeAsync().ConfigureAwait(false);
        }

        // No persistence: the servers are simply killed.
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Throwaway servers: no append-only file, a temp folder each. Cluster nodes get a long node timeout (the default),
    // so a busy test machine does not make them think one of them failed; no test here fails a node over.
    private static LocalValkeyOptions Options { get; } = new() { DirectoryPrefix = "agentstate-tests-" };
}
