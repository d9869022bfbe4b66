using System.Globalization;
using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace AgentAspire.Bench.Measuring;

/// <summary>What the figures were measured on: machine, load, server, runtime and settings.</summary>
internal static class Conditions
{
    public static async Task<Dictionary<string, string>> ReadAsync(IServer server, BenchContext context, int rounds)
    {
        var info = await server.InfoAsync("server").ConfigureAwait(false);
        // Valkey also reports redis_version (7.2.4, for compatibility); valkey_version is its own.
        var fields = info.SelectMany(group => group).ToDictionary(pair => pair.Key, pair => pair.Value);
        var version = fields.GetValueOrDefault("valkey_version") ?? fields.GetValueOrDefault("redis_version") ?? "?";
        return new Dictionary<string, string>
        {
            ["date_utc"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["processors"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["load_average"] = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?",
            ["server"] = $"valkey {version}, no persistence, private",
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["rounds"] = rounds.ToString(CultureInfo.InvariantCulture),
            ["seconds_per_scenario"] = context.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
    }
}
