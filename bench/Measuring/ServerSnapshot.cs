using System.Globalization;
using StackExchange.Redis;

namespace AgentAspire.Bench.Measuring;

/// <summary>The server's CPU time, memory and per-command call counts at one moment (INFO cpu, memory, commandstats).</summary>
internal sealed record ServerSnapshot(double CpuSeconds, long UsedMemory, IReadOnlyDictionary<string, long> Calls)
{
    // The measuring itself: left out of the per-run counts.
    private static readonly HashSet<string> Ignored = ["info", "flushall", "config|resetstat", "memory|usage"];

    public static async Task<ServerSnapshot> TakeAsync(IServer server)
    {
        var raw = await server.InfoRawAsync("everything").ConfigureAwait(false) ?? "";
        double cpu = 0;
        long memory = 0;
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
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
                // cmdstat_hset:calls=12,usec=...
                var command = name["cmdstat_".Length..];
                var callsField = value.Split(',')[0];
                calls[command] = long.Parse(callsField["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return new ServerSnapshot(cpu, memory, calls);
    }

    /// <summary>Calls per command between two snapshots, without the measuring commands.</summary>
    public static Dictionary<string, long> CommandDelta(ServerSnapshot before, ServerSnapshot after) =>
        after.Calls
            .Where(pair => !Ignored.Contains(pair.Key))
            .ToDictionary(pair => pair.Key, pair => pair.Value - before.Calls.GetValueOrDefault(pair.Key));
}
