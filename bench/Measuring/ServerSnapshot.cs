using System.Globalization;
using StackExchange.Redis;

namespace AgentAspire.Bench.Measuring;

/// <summary>The server's CPU time, memory and per-command call counts at one moment (INFO cpu, memory, commandstats).</summary>
internal sealed record ServerSnapshot(double CpuSeconds, long UsedMemory, IReadOnlyDictionary<string, long> Calls, IReadOnlyDictionary<string, long> Microseconds)
{
    // The measuring itself: left out of the per-run counts.
    private static readonly HashSet<string> Ignored = ["info", "flushall", "config|resetstat", "memory|usage"];

    public static async Task<ServerSnapshot> TakeAsync(IServer server)
    {
        var raw = await server.InfoRawAsync("everything").ConfigureAwait(false) ?? "";
        double cpu = 0;
        long memory = 0;
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        var microseconds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in raw.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..];
            if (name is "used_cpu_sys" or "used_cpu_user")
            {
                cpu += double.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name == "used_memory")
            {
                memory = long.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                // cmdstat_hset:calls=12,usec=80,usec_per_call=6.67,...: a script's usec includes the commands it calls.
                var command = name["cmdstat_".Length..];
                var fields = value.Split(',');
                calls[command] = long.Parse(fields[0]["calls=".Length..], CultureInfo.InvariantCulture);
                microseconds[command] = long.Parse(fields[1]["usec=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return new ServerSnapshot(cpu, memory, calls, microseconds);
    }

    /// <summary>The sum over <paramref name="servers"/> (a cluster's primaries): CPU, memory and calls of all of them.</summary>
    public static async Task<ServerSnapshot> TakeAsync(IEnumerable<IServer> servers)
    {
        var snapshots = await Task.WhenAll(servers.Select(TakeAsync)).ConfigureAwait(false);
        return new ServerSnapshot(
            snapshots.Sum(snapshot => snapshot.CpuSeconds),
            snapshots.Sum(snapshot => snapshot.UsedMemory),
            Sum(snapshots.Select(snapshot => snapshot.Calls)),
            Sum(snapshots.Select(snapshot => snapshot.Microseconds)));
    }

    private static Dictionary<string, long> Sum(IEnumerable<IReadOnlyDictionary<string, long>> counts) =>
        counts.SelectMany(pairs => pairs).GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value), StringComparer.Ordinal);

    /// <summary>Calls per command between two snapshots, without the measuring commands.</summary>
    public static Dictionary<string, long> CommandDelta(ServerSnapshot before, ServerSnapshot after) => Delta(before.Calls, after.Calls);

    /// <summary>Microseconds the server spent per command between two snapshots, without the measuring commands.</summary>
    public static Dictionary<string, long> MicrosecondDelta(ServerSnapshot before, ServerSnapshot after) => Delta(before.Microseconds, after.Microseconds);

    private static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after
            .Where(pair => !Ignored.Contains(pair.Key))
            .ToDictionary(pair => pair.Key, pair => pair.Value - before.GetValueOrDefault(pair.Key));
}
