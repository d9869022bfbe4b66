using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace AgentAspire.Fault.Tests;

/// <summary>
/// A private <c>valkey-server</c> with AOF on (<c>appendfsync everysec</c>, the product's default), on a free loopback
/// port and a temp dir. It can be killed with SIGKILL and started again on the same port from its AOF.
/// </summary>
internal sealed class FaultValkey : IAsyncDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("agent-fault-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort();

    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string Directory => _directory;

    /// <summary>The connection string a service gets (StackExchange.Redis syntax).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false,connectTimeout=2000,asyncTimeout=3000,syncTimeout=3000";

    public int Pid => _process?.Id ?? 0;

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(FindServer())
        {
            ArgumentList =
            {
                "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", _directory,
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--requirepass", Password,
                "--daemonize", "no", "--logfile", Path.Combine(_directory, "valkey.log"),
            },
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start valkey-server.");
    }

    /// <summary>SIGKILL: no shutdown, no final save; what survives is what the AOF already holds.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signals.Send(process.Id, Signals.Kill);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindServer()
    {
        var configured = Environment.GetEnvironmentVariable("VALKEY_SERVER_PATH");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "valkey-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("valkey-server is not on PATH; run eng/setup.sh.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
