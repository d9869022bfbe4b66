namespace AgentAspire.Bench.Measuring;

/// <summary>What a scenario measured: named figures in the order they are shown, and optional detail for the JSON line.</summary>
internal sealed class ScenarioResult(string group, string name)
{
    public string Group { get; } = group;

    public string Name { get; } = name;

    /// <summary>Figures by name (unit in the name: <c>runs_per_s</c>, <c>p50_ms</c>, <c>valkey_cpu_us_per_run</c>).</summary>
    public List<KeyValuePair<string, double>> Metrics { get; } = [];

    /// <summary>Server commands executed per run, by command (from INFO commandstats), for the profile.</summary>
    public Dictionary<string, double>? CommandsPerRun { get; set; }

    /// <summary>Server microseconds per run, by command (a script's include the commands it calls).</summary>
    public Dictionary<string, double>? MicrosecondsPerRun { get; set; }

    public ScenarioResult Add(string metric, double value)
    {
        Metrics.Add(KeyValuePair.Create(metric, Math.Round(value, 4)));
        return this;
    }

    /// <summary>Adds the server's cost of <paramref name="runs"/> runs between two snapshots, and the client's sends when known.</summary>
    /// <param name="unit">What <paramref name="runs"/> counts, in the figures' names: <c>run</c>, or e.g. <c>turn</c>.</param>
    public ScenarioResult AddServerCost(ServerSnapshot before, ServerSnapshot after, long runs, long? sentOperations, string unit = "run")
    {
        var perRun = Math.Max(1, runs);
        Add($"valkey_cpu_us_per_{unit}", (after.CpuSeconds - before.CpuSeconds) * 1e6 / perRun);
        var commands = ServerSnapshot.CommandDelta(before, after);
        Add($"cmds_per_{unit}", commands.Values.Sum() / (double)perRun);
        if (sentOperations is { } sent)
        {
            Add($"sent_per_{unit}", sent / (double)perRun);
        }

        CommandsPerRun = commands
            .Where(pair => pair.Value > 0)
            .OrderByDescending(pair => pair.Value)
            .ToDictionary(pair => pair.Key, pair => Math.Round(pair.Value / (double)perRun, 3));
        MicrosecondsPerRun = ServerSnapshot.MicrosecondDelta(before, after)
            .Where(pair => pair.Value > 0)
            .OrderByDescending(pair => pair.Value)
            .ToDictionary(pair => pair.Key, pair => Math.Round(pair.Value / (double)perRun, 3));
        return this;
    }
}
