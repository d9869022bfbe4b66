using System.Net;
using System.Net.Sockets;

namespace AgentAspire.Tests;

/// <summary>What a test asks of the machine and of the checkout it was built from.</summary>
internal static class TestMachine
{
    /// <summary>A loopback port free right now, picked by the kernel; use it at once, another process may take it later.</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>The root of the checkout: the first folder above the test's output that holds <c>eng/run.sh</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "eng", "run.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The checkout's root (the folder with eng/run.sh) is not above the test's output folder.");
    }
}
