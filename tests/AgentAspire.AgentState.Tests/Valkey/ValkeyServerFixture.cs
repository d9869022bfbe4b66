using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AgentAspire.AgentState;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// A real <c>valkey-server</c> on a free loopback port, with a temp dir, no persistence and a random password.
/// One per test class: tests of a class run one after another, classes run in parallel on their own servers.
/// </summary>
public sealed class ValkeyServerFixture : IAsyncLifetime
{
    /// <summary>Environment variable that points at the <c>valkey-server</c> binary when it is not on PATH.</summary>
    public const string ServerPathVariable = "VALKEY_SERVER_PATH";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly List<IConnectionMultiplexer> _extraConnections = [];
    private Process? _process;
    private string? _directory;

    /// <summary>The port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The server's password (<c>requirepass</c>).</summary>
    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The shared connection of the tests, with admin commands allowed (FLUSHDB, SHUTDOWN).</summary>
    public ConnectionMultiplexer Connection { get; private set; } = null!;

    /// <summary>The server's database 0.</summary>
    public IDatabase Database => Connection.GetDatabase();

    /// <summary>The server, for SCAN and admin commands.</summary>
    public IServer Server => Connection.GetServer(Connection.GetEndPoints()[0]);

    public async ValueTask InitializeAsync()
    {
        var serverPath = FindServer();
        _directory = Directory.CreateTempSubdirectory("agentstate-tests-").FullName;

        // A port taken between probing and binding makes the server exit: try a few ports.
        Exception? lastError = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Port = FreePort();
            _process = Process.Start(new ProcessStartInfo(serverPath)
            {
                ArgumentList =
                {
                    "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--dir", _directory, "--save", "", "--appendonly", "no", "--requirepass", Password,
                    "--daemonize", "no", "--logfile", Path.Combine(_directory, "valkey.log"),
                },
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException($"Could not start {serverPath}.");

            try
            {
                Connection = await ConnectWhenReadyAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                lastError = ex;
                await StopProcessAsync().ConfigureAwait(false);
            }
        }

        DeleteDirectory();
        throw new InvalidOperationException($"valkey-server did not answer PING: {lastError?.Message}", lastError);
    }

    /// <summary>Options of a new connection to this server.</summary>
    public ConfigurationOptions ConnectionOptions(bool withPassword = true) => new()
    {
        EndPoints = { new IPEndPoint(IPAddress.Loopback, Port) },
        Password = withPassword ? Password : null,
        AllowAdmin = true,
        AbortOnConnectFail = true,
        ConnectTimeout = 5000,
        SyncTimeout = 10000,
        AsyncTimeout = 10000,
    };

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

    /// <summary>Empties the server, for a test that needs the global keys (queue, index) to itself.</summary>
    public Task FlushAsync() => Server.FlushDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _extraConnections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (Connection is not null)
        {
            try
            {
                // SHUTDOWN NOSAVE: the connection drops as the server exits, which is the expected answer.
                Server.Shutdown(ShutdownMode.Never);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
            }

            await Connection.DisposeAsync().ConfigureAwait(false);
        }

        await StopProcessAsync().ConfigureAwait(false);
        DeleteDirectory();
    }

    private async Task<ConnectionMultiplexer> ConnectWhenReadyAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"valkey-server exited with code {_process.ExitCode}. Its log:\n{ReadLog()}");
            }

            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionOptions()).ConfigureAwait(false);
                await connection.GetDatabase().PingAsync().ConfigureAwait(false);
                return connection;
            }
            catch (RedisConnectionException)
            {
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"valkey-server on port {Port} did not answer PING within {StartTimeout.TotalSeconds} s. Its log:\n{ReadLog()}");
                }

                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task StopProcessAsync()
    {
        if (_process is null)
        {
            return;
        }

        using (_process)
        {
            if (!_process.HasExited)
            {
                using var wait = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        _process = null;
    }

    private string ReadLog()
    {
        var log = _directory is null ? null : Path.Combine(_directory, "valkey.log");
        return log is not null && File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
