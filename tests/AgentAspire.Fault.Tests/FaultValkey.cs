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
/// <remarks>
/// The port lies below the kernel's ephemeral range. While the server is down, clients keep connecting to its port;
/// a port inside that range can be handed to such a client as its own source port (a TCP self-connect), and the
/// server, started again, would then fail to bind it.
/// </remarks>
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

    /// <summary>Starts the server and waits until it listens; throws with its log if it does not.</summary>
    public async Task StartAsync()
    {
        _process?.Dispose();
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

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await ListensAsync().ConfigureAwait(false))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(_directory, "valkey.log");
                throw new InvalidOperationException(
                    $"valkey-server did not start listening on port {Port}:\n{(File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : "(no log)")}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
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

    private async Task<bool> ListensAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A free loopback port below the ephemeral range (see the remarks on the class).</summary>
    private static int FreePort()
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(10_000, ephemeralStart);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"No free loopback port between 10000 and {ephemeralStart}.");
    }

    private static int EphemeralRangeStart()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(Range) && int.TryParse(File.ReadAllText(Range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start) && start > 11_000
            ? start
            : 32_768;
    }
}
