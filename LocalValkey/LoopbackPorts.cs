using System.Net;
using System.Net.Sockets;

namespace AgentAspire.LocalValkey;

/// <summary>Free ports on 127.0.0.1 for servers this process starts.</summary>
public static class LoopbackPorts
{
    private const int Lowest = 10_000;
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>
    /// A loopback port free right now, below the kernel's ephemeral range. A port inside that range can be handed to
    /// any client as its own source port, even to a probe connecting to the server about to bind it (a TCP
    /// self-connect), and the server would then fail to bind; below the range only another listener can take it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No port was free after a hundred tries.</exception>
    public static int Free()
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(Lowest, ephemeralStart);
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

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {ephemeralStart}.");
    }

    private static int EphemeralRangeStart() =>
        File.Exists(EphemeralRangeFile)
        && int.TryParse(File.ReadAllText(EphemeralRangeFile).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start)
        && start > Lowest + 1_000
            ? start
            : 32_768;
}
