using System.Diagnostics;
using System.Security.Cryptography;

namespace AgentAspire.LocalValkey;

/// <summary>
/// A private <c>valkey-server</c> process on a free loopback port, in a temp folder of its own, with its password in
/// an owner-only file. Killed, and its folder removed, on dispose.
/// </summary>
/// <remarks>
/// The port is free when chosen, but another process may bind it before the server does; the server then exits at
/// once, and is started again on fresh ports in a fresh folder (a cluster node writes its configuration before it
/// binds), up to three times.
/// </remarks>
public sealed class LocalValkeyServer : IAsyncDisposable
{
    private const int Attempts = 3;

    private readonly LocalValkeyOptions _options;
    private readonly string _serverPath;
    private readonly bool _clusterNode;
    private Process? _process;
    private string _dataDirectory = "";

    private LocalValkeyServer(LocalValkeyOptions options, bool clusterNode)
    {
        _options = options;
        _clusterNode = clusterNode;
        _serverPath = options.ServerPath ?? ValkeyExecutables.RequireServer();
        Password = options.Password ?? NewPassword();
        Directory = System.IO.Directory.CreateTempSubdirectory(options.DirectoryPrefix).FullName;
    }

    /// <summary>The port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The port of the cluster bus, for a cluster node.</summary>
    public int? ClusterBusPort { get; private set; }

    /// <summary>The server's password (<c>requirepass</c>, and <c>masterauth</c> on a cluster node).</summary>
    public string Password { get; }

    /// <summary>The temp folder that holds the server's files; removed on dispose.</summary>
    public string Directory { get; }

    /// <summary>The process id of the running server; 0 when it is not running.</summary>
    public int ProcessId => _process is { HasExited: false } process ? process.Id : 0;

    /// <summary>The server's log file.</summary>
    public string LogFile => Path.Combine(_dataDirectory, "valkey.log");

    /// <summary>The connection string of the server in StackExchange.Redis syntax, with <paramref name="options"/> appended.</summary>
    public string ConnectionString(string options = "") =>
        $"127.0.0.1:{Port},password={Password}{(options.Length > 0 ? "," + options : "")}";

    /// <summary>Starts a server on its own and returns once it answers PING.</summary>
    /// <exception cref="InvalidOperationException">It exited three times, or <c>valkey-server</c> is missing.</exception>
    /// <exception cref="TimeoutException">It did not answer within <see cref="LocalValkeyOptions.StartTimeout"/>.</exception>
    public static Task<LocalValkeyServer> StartAsync(LocalValkeyOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(options ?? new LocalValkeyOptions(), clusterNode: false, cancellationToken);

    /// <summary>Starts a cluster-enabled node, not yet part of any cluster; <see cref="LocalValkeyCluster"/> joins them.</summary>
    internal static Task<LocalValkeyServer> StartClusterNodeAsync(LocalValkeyOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, clusterNode: true, cancellationToken);

    private static async Task<LocalValkeyServer> StartAsync(LocalValkeyOptions options, bool clusterNode, CancellationToken cancellationToken)
    {
        var server = new LocalValkeyServer(options, clusterNode);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                server.Port = LoopbackPorts.Free();
                server.ClusterBusPort = clusterNode ? LoopbackPorts.Free() : null;
                server._dataDirectory = System.IO.Directory.CreateDirectory(Path.Combine(server.Directory, $"server-{attempt}")).FullName;
                await ValkeyPasswordFile.WriteAsync(ValkeyPasswordFile.PathIn(server._dataDirectory), server.Password, cancellationToken, clusterNode)
                    .ConfigureAwait(false);
                if (await server.LaunchAsync(cancellationToken).ConfigureAwait(false))
                {
                    return server;
                }

                if (attempt == Attempts)
                {
                    throw new InvalidOperationException(
                        $"valkey-server exited with code {server._process!.ExitCode} {Attempts} times. Its log ends:\n{server.LogTail()}");
                }
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the server again after <see cref="KillAsync"/>, on the same port and from the same folder (and so from
    /// its append-only file, if it keeps one); returns once it answers PING.
    /// </summary>
    /// <exception cref="InvalidOperationException">It is running, or it exited at once.</exception>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (ProcessId != 0)
        {
            throw new InvalidOperationException($"valkey-server on port {Port} is still running.");
        }

        if (!await LaunchAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"valkey-server on port {Port} exited with code {_process!.ExitCode} on restart. Its log ends:\n{LogTail()}");
        }
    }

    /// <summary>Kills the server with SIGKILL: no shutdown, no final save; what survives is what its append-only file holds.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The last lines of the server's log, for a message that says why it stopped.</summary>
    public string LogTail(int lines = 20) =>
        File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(lines)) : "(no log)";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system in the end.
        }
    }

    // Starts the process and waits until it answers (true) or exits (false).
    private async Task<bool> LaunchAsync(CancellationToken cancellationToken)
    {
        var arguments = new ValkeyServerArguments
        {
            PasswordFile = ValkeyPasswordFile.PathIn(_dataDirectory),
            DataDirectory = _dataDirectory,
            AppendOnly = _options.AppendOnly,
            AppendFsync = _options.AppendFsync,
            ClusterConfigFile = _clusterNode ? Path.Combine(_dataDirectory, "nodes.conf") : null,
            ClusterNodeTimeout = _options.ClusterNodeTimeout,
            LogFile = LogFile,
        };
        var start = new ProcessStartInfo(_serverPath) { UseShellExecute = false };
        foreach (var argument in arguments.ToCommandLine(Port, ClusterBusPort))
        {
            start.ArgumentList.Add(argument);
        }

        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_serverPath}.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        while (!_process.HasExited && !await ValkeyProbe.AnswersAsync(Port, Password).ConfigureAwait(false))
        {
            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException(
                    $"valkey-server on port {Port} did not answer PING within {_options.StartTimeout.TotalSeconds} s. Its log ends:\n{LogTail()}");
            }

            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        return !_process.HasExited;
    }

    internal static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
