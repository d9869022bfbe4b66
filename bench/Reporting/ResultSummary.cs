using System.Globalization;
using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Reporting;

/// <summary>The rounds of a results file, folded into medians with their spread per scenario and figure.</summary>
internal sealed class ResultSummary
{
    public ResultSummary(IReadOnlyList<BenchLine> lines)
    {
        Conditions = lines.FirstOrDefault(line => line.Conditions is not null)?.Conditions ?? [];
        Errors = lines.Where(line => line.Error is not null).Select(line => $"{line.Name} (round {line.Round}): {line.Error}").ToList();
        var results = lines.Where(line => line.Metrics is not null && line.Name is not null).ToList();
        Groups = results.Select(line => line.Group!).Distinct().ToList();
        Rows = results.GroupBy(line => line.Name!).ToDictionary(
            rows => rows.Key,
            rows => new Row(
                rows.First().Group!,
                rows.Key,
                rows.Count(),
                rows.SelectMany(row => row.Metrics!.Keys).Distinct().ToDictionary(
                    metric => metric,
                    metric => Spread.Of(rows.Where(row => row.Metrics!.ContainsKey(metric)).Select(row => row.Metrics![metric]))),
                Medians(rows.Select(row => row.CommandsPerRun)),
                Medians(rows.Select(row => row.MicrosecondsPerRun))));
    }

    public Dictionary<string, string> Conditions { get; }

    private static Dictionary<string, double> Medians(IEnumerable<Dictionary<string, double>?> rounds)
    {
        var known = rounds.OfType<Dictionary<string, double>>().ToList();
        return known.SelectMany(round => round.Keys).Distinct().ToDictionary(
            key => key,
            key => Spread.Of(known.Select(round => round.GetValueOrDefault(key))).Median);
    }

    public List<string> Errors { get; }

    public List<string> Groups { get; }

    public Dictionary<string, Row> Rows { get; }

    public Spread? Get(string name, string metric) => Rows.TryGetValue(name, out var row) && row.Metrics.TryGetValue(metric, out var spread) ? spread : null;

    public sealed record Row(string Group, string Name, int Rounds, Dictionary<string, Spread> Metrics, Dictionary<string, double> Commands, Dictionary<string, double> Microseconds);
}

/// <summary>The median of a figure over rounds, with its smallest and largest value.</summary>
internal sealed record Spread(double Median, double Min, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return new Spread(0, 0, 0);
        }

        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1]);
    }

    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("F2", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    public override string ToString() =>
        Min == Max ? Format(Median) : $"{Format(Median)} <sub>{Format(Min)}–{Format(Max)}</sub>";
}
