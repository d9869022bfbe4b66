using System.Globalization;
using System.Text;

namespace AgentAspire.Bench.Reporting;

/// <summary>
/// Draws the headline as an SVG (eng/bench.sh turns it into a PNG): runs/s of 3-step runs at c=1, 16 and 64, and
/// Valkey CPU per run at c=64, for the cookbook's code and the product (before and after the cost cuts, when known).
/// </summary>
internal static class ThroughputChart
{
    private static readonly int[] Concurrencies = [1, 16, 64];
    private const int Width = 960;
    private const int Height = 420;
    private const int Top = 60;
    private const int Bottom = 360;

    public static string Render(ResultSummary after, ResultSummary? before)
    {
        var series = new List<(string Label, string Color, ResultSummary Summary, string Prefix)>
        {
            ("cookbook code", "#9e9e9e", after, "cookbook"),
        };
        if (before is not null)
        {
            series.Add(("AgentState before", "#90caf9", before, "AgentState whole life"));
        }

        series.Add(("AgentState now", "#1565c0", after, "AgentState whole life"));

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13">""");
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine("""<text x="20" y="28" font-size="17" font-weight="bold">3-step runs through Valkey: the cookbook's plain commands vs AgentState's whole run life</text>""");

        // Left: runs/s per concurrency.
        var groups = Concurrencies.Select(c => (Label: $"c={c}", Values: series.Select(s => s.Summary.Get($"{s.Prefix} c={c}", "runs_per_s")?.Median ?? 0).ToList())).ToList();
        Panel(svg, 60, 560, "runs per second (higher is better)", groups, series.Select(s => s.Color).ToList());

        // Right: Valkey CPU per run at c=64.
        var cpu = new[] { (Label: "c=64", Values: series.Select(s => s.Summary.Get($"{s.Prefix} c=64", "valkey_cpu_us_per_run")?.Median ?? 0).ToList()) }.ToList();
        Panel(svg, 660, 250, "Valkey CPU µs per run (lower is better)", cpu, series.Select(s => s.Color).ToList());

        // Legend.
        for (var i = 0; i < series.Count; i++)
        {
            var x = 60 + i * 220;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{Height - 30}" width="14" height="14" fill="{series[i].Color}"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{x + 20}" y="{Height - 18}">{series[i].Label}</text>""");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int left, int width, string title, List<(string Label, List<double> Values)> groups, List<string> colors)
    {
        var max = Math.Max(1, groups.SelectMany(g => g.Values).DefaultIfEmpty(1).Max()) * 1.15;
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left}" y="{Top - 12}" font-weight="bold">{title}</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{left}" y1="{Bottom}" x2="{left + width}" y2="{Bottom}" stroke="#333"/>""");
        var groupWidth = width / (double)groups.Count;
        var barWidth = Math.Min(60, groupWidth * 0.8 / colors.Count);
        for (var g = 0; g < groups.Count; g++)
        {
            var start = left + g * groupWidth + (groupWidth - barWidth * colors.Count) / 2;
            for (var s = 0; s < groups[g].Values.Count; s++)
            {
                var value = groups[g].Values[s];
                var height = (Bottom - Top) * value / max;
                var x = start + s * barWidth;
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{x:F1}" y="{Bottom - height:F1}" width="{barWidth - 4:F1}" height="{height:F1}" fill="{colors[s]}"/>""");
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{x + (barWidth - 4) / 2:F1}" y="{Bottom - height - 4:F1}" text-anchor="middle" font-size="11">{Spread.Format(value)}</text>""");
            }

            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left + g * groupWidth + groupWidth / 2:F1}" y="{Bottom + 18}" text-anchor="middle">{groups[g].Label}</text>""");
        }
    }
}
