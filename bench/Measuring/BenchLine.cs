using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentAspire.Bench.Measuring;

/// <summary>One JSON line of results: a scenario's figures in one round, or the conditions of a whole run.</summary>
internal sealed record BenchLine
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string? Group { get; init; }

    public string? Name { get; init; }

    public int Round { get; init; }

    public Dictionary<string, double>? Metrics { get; init; }

    public Dictionary<string, double>? CommandsPerRun { get; init; }

    public Dictionary<string, double>? MicrosecondsPerRun { get; init; }

    public string? Error { get; init; }

    public Dictionary<string, string>? Conditions { get; init; }

    public static BenchLine From(ScenarioResult result, int round) => new()
    {
        Group = result.Group,
        Name = result.Name,
        Round = round,
        Metrics = result.Metrics.ToDictionary(pair => pair.Key, pair => pair.Value),
        CommandsPerRun = result.CommandsPerRun,
        MicrosecondsPerRun = result.MicrosecondsPerRun,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static IEnumerable<BenchLine> ReadAll(string path) =>
        File.ReadLines(path)
            .Where(line => line.TrimStart().StartsWith('{'))
            .Select(line => JsonSerializer.Deserialize<BenchLine>(line, Json)!);
}
