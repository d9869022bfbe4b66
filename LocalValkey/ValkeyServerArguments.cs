using System.Globalization;

namespace AgentAspire.LocalValkey;

/// <summary>
/// The command line of a local <c>valkey-server</c>: its password file, loopback only, its data folder, no RDB
/// snapshots, the append-only file on or off, and for a cluster node the cluster options.
/// </summary>
/// <remarks>
/// The AppHost hands the ports over as deferred values (an Aspire endpoint's target port), the benchmark and the tests
/// as numbers: <see cref="ToArguments"/> takes either, <see cref="ToCommandLine"/> is the all-text form.
/// </remarks>
public sealed record ValkeyServerArguments
{
    /// <summary>The configuration file with the password (<see cref="ValkeyPasswordFile"/>); it comes first, the options after it add to it.</summary>
    public required string PasswordFile { get; init; }

    /// <summary>The server's working folder: the append-only file and a cluster node's configuration.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Whether the append-only file is on (the product's persistence); off for throwaway servers.</summary>
    public bool AppendOnly { get; init; }

    /// <summary>When the append-only file reaches the disk (<c>everysec</c>, <c>always</c>, <c>no</c>); Valkey's default when null.</summary>
    public string? AppendFsync { get; init; }

    /// <summary>The memory limit in Valkey's syntax, with writes refused rather than keys evicted at it; none when null.</summary>
    public string? MaxMemory { get; init; }

    /// <summary>The cluster configuration file of a cluster node; null for a server on its own.</summary>
    public string? ClusterConfigFile { get; init; }

    /// <summary>How long a cluster node may not answer before the others fail it over.</summary>
    public TimeSpan ClusterNodeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Where the server writes its log; its standard output when null.</summary>
    public string? LogFile { get; init; }

    /// <summary>
    /// The options that make a server keep its data the product's way: the append-only file on, flushed by
    /// <paramref name="appendFsync"/>, and writes refused rather than keys evicted at <paramref name="maxMemory"/>, since
    /// an evicted checkpoint or lease would be silently lost state.
    /// </summary>
    public static IReadOnlyList<string> Persistence(string appendFsync, string maxMemory) =>
    [
        "--appendonly", "yes",
        "--appendfsync", appendFsync,
        "--maxmemory", maxMemory,
        "--maxmemory-policy", "noeviction",
    ];

    /// <summary>The arguments, with the ports as given (numbers or deferred values); the bus port only for a cluster node.</summary>
    /// <exception cref="ArgumentException">A cluster node without a bus port.</exception>
    public IReadOnlyList<object> ToArguments(object port, object? clusterBusPort = null)
    {
        List<object> arguments = [PasswordFile, "--bind", "127.0.0.1", "--port", port, "--dir", DataDirectory, "--save", ""];
        arguments.AddRange(["--appendonly", AppendOnly ? "yes" : "no"]);
        if (AppendOnly && AppendFsync is not null)
        {
            arguments.AddRange(["--appendfsync", AppendFsync]);
        }

        if (MaxMemory is not null)
        {
            arguments.AddRange(["--maxmemory", MaxMemory, "--maxmemory-policy", "noeviction"]);
        }

        if (ClusterConfigFile is not null)
        {
            arguments.AddRange([
                "--cluster-enabled", "yes",
                "--cluster-port", clusterBusPort ?? throw new ArgumentException("A cluster node needs a bus port.", nameof(clusterBusPort)),
                "--cluster-config-file", ClusterConfigFile,
                "--cluster-node-timeout", ((long)ClusterNodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ]);
        }

        if (LogFile is not null)
        {
            arguments.AddRange(["--logfile", LogFile]);
        }

        return arguments;
    }

    /// <summary>The arguments as text, for a process started directly.</summary>
    public IReadOnlyList<string> ToCommandLine(int port, int? clusterBusPort = null) =>
        ToArguments(port, clusterBusPort).Select(argument => Convert.ToString(argument, CultureInfo.InvariantCulture) ?? "").ToList();
}
