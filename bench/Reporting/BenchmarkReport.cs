using System.Globalization;
using System.Text;
using AgentAspire.Bench.Scenarios;

namespace AgentAspire.Bench.Reporting;

/// <summary>Writes BENCHMARKS.md: conditions, the headline comparison with the cookbook, the targets, every table.</summary>
internal static class BenchmarkReport
{
    private static readonly int[] Concurrencies = [1, 16, 64];

    /// <param name="separate">Results of scenarios measured in runs of their own: their groups fill in what <paramref name="after"/> lacks.</param>
    public static string Render(ResultSummary after, ResultSummary? before, string chartFile, string notes, IReadOnlyList<ResultSummary> separate)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine("What a durable step costs, on the one resource that limits scale (the Valkey server) and end to end, measured");
        md.AppendLine("side by side with the cookbook's plain commands. Written by `eng/bench.sh` (see *How to run* at the end); every");
        md.AppendLine("figure is the median over the rounds, with the smallest and largest value in small print.");
        md.AppendLine();
        AppendConditions(md, after);
        if (before?.Conditions is { Count: > 0 } then)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"The *before* figures (the run scripts as they were before the cost cuts) were measured on the same machine on {then.GetValueOrDefault("date_utc")}, load average {then.GetValueOrDefault("load_average")}, {then.GetValueOrDefault("rounds")} rounds of {then.GetValueOrDefault("seconds_per_scenario")} s.");
            md.AppendLine();
        }

        md.AppendLine("## Runs per second and what the server pays for them");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![runs per second and Valkey CPU per run](docs/{chartFile})");
        md.AppendLine();
        AppendHeadline(md, after, "now");
        if (before is not null)
        {
            AppendHeadline(md, before, "before the cost cuts");
        }

        AppendTargets(md, after, before);

        var sections = after.Groups.Select(group => (Group: group, Summary: after))
            .Concat(separate.SelectMany(summary => summary.Groups.Select(group => (Group: group, Summary: summary))))
            .DistinctBy(section => section.Group);
        foreach (var (group, summary) in sections)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {Capitalize(group)}");
            md.AppendLine();
            if (summary != after)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"Measured in a run of its own: {string.Join("; ", summary.Conditions.Select(pair => $"{pair.Key.Replace('_', ' ')}: {pair.Value}"))}.");
                md.AppendLine();
            }

            if (group == WorkflowCheckpointScenario.GroupName)
            {
                AppendCheckpointStores(md, summary);
                continue;
            }

            var rows = summary.Rows.Values.Where(row => row.Group == group).ToList();
            var metrics = rows.SelectMany(row => row.Metrics.Keys).Distinct().ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"| | {string.Join(" | ", metrics.Select(Label))} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(metrics.Select(_ => " --- |"))}");
            foreach (var row in rows)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Name} | {string.Join(" | ", metrics.Select(metric => row.Metrics.TryGetValue(metric, out var spread) ? spread.ToString() : ""))} |");
            }

            md.AppendLine();
            if (group == EndToEndScenario.ClusterGroupName)
            {
                AppendNodeAgainstCluster(md, summary);
            }
        }

        AppendProfile(md, after, before);

        if (notes.Length > 0)
        {
            md.AppendLine(notes.TrimEnd());
            md.AppendLine();
        }

        var errors = after.Errors.Concat(separate.SelectMany(summary => summary.Errors)).ToList();
        if (errors.Count > 0)
        {
            md.AppendLine("## Failed scenario runs");
            md.AppendLine();
            errors.ForEach(error => md.AppendLine(CultureInfo.InvariantCulture, $"- {error}"));
            md.AppendLine();
        }

        md.AppendLine("## How to run");
        md.AppendLine();
        md.AppendLine("```bash");
        md.AppendLine("eng/bench.sh                  # every scenario, 5 interleaved rounds of 3 s; rewrites BENCHMARKS.md and docs/benchmarks.png");
        md.AppendLine("eng/bench.sh --rounds 3 --filter 'c=64'   # a subset; the results go to bench/results/latest.jsonl");
        md.AppendLine("eng/bench.sh --filter 'Agent Framework' --out bench/results/separate/agent-framework.jsonl   # a section of its own");
        md.AppendLine("eng/bench.sh --rounds 3 --filter 'end to end' --out bench/results/separate/cluster.jsonl   # one node against a 3-primary cluster");
        md.AppendLine("eng/bench.sh --smoke          # every scenario for about a second, figures ignored (part of eng/test.sh)");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("The script builds `bench/` and the API and worker in Release, starts a private `valkey-server` (no persistence,");
        md.AppendLine("a free port, its own temp dir, stopped at exit) and runs the scenarios in rounds, each round in another order,");
        md.AppendLine("so drift in the machine's load spreads over all of them. Each scenario prints one JSON line. Valkey CPU is");
        md.AppendLine("`used_cpu_sys + used_cpu_user` of `INFO cpu` before and after; commands are the `INFO commandstats` delta");
        md.AppendLine("(commands a script calls count too), *sent* the client's operations (a script call is one). Results in");
        md.AppendLine("`bench/results/separate/` fill in the sections that `latest.jsonl` lacks, each with the conditions of its own run.");
        return md.ToString();
    }

    private static void AppendConditions(StringBuilder md, ResultSummary summary)
    {
        if (summary.Conditions.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {string.Join("; ", summary.Conditions.Select(pair => $"{pair.Key.Replace('_', ' ')}: {pair.Value}"))}.");
        md.AppendLine("The machine is shared: other builds and tests ran at the same time, so compare ratios within one run.");
        md.AppendLine();
    }

    private static void AppendHeadline(StringBuilder md, ResultSummary summary, string title)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"3-step no-op runs, {title}:");
        md.AppendLine();
        md.AppendLine("| | runs/s c=1 | runs/s c=16 | runs/s c=64 | Valkey CPU µs per run, c=64 | commands per run, c=64 | sent per run |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (label, prefix) in new[] { ("cookbook code", "cookbook"), ("AgentState, whole life of a run", "AgentState whole life"), ("AgentState, worker side only", "AgentState worker side") })
        {
            var cells = Concurrencies.Select(c => Cell(summary.Get($"{prefix} c={c}", "runs_per_s")))
                .Append(Cell(summary.Get($"{prefix} c=64", "valkey_cpu_us_per_run")))
                .Append(Cell(summary.Get($"{prefix} c=64", "cmds_per_run")))
                .Append(Cell(summary.Get($"{prefix} c=64", "sent_per_run")));
            md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
    }

    private static void AppendTargets(StringBuilder md, ResultSummary after, ResultSummary? before)
    {
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine(before is null ? "| target | now | met |" : "| target | before | now | met |");
        md.AppendLine(before is null ? "| --- | --- | --- |" : "| --- | --- | --- | --- |");
        var targets = new (string Label, Func<ResultSummary, double?> Ratio, double Limit, bool AtMost)[]
        {
            ("Valkey CPU per whole run at c=64 ÷ the cookbook's ≤ 1", s => Ratio(s, "AgentState whole life c=64", "cookbook c=64", "valkey_cpu_us_per_run"), 1, true),
            ("runs/s of the whole run life at c=64 ÷ the cookbook's ≥ 2", s => Ratio(s, "AgentState whole life c=64", "cookbook c=64", "runs_per_s"), 2, false),
            ("runs/s of the whole run life at c=1 ÷ the cookbook's ≥ 3", s => Ratio(s, "AgentState whole life c=1", "cookbook c=1", "runs_per_s"), 3, false),
            ("step commit p50 ÷ raw HSET p50 ≤ 1.5", s => s.Get("step commit vs HSET", "commit_to_hset_p50")?.Median, 1.5, true),
            ("tool calls made by 100 concurrent misses on one key = 1", s => s.Get("100 concurrent misses on one key", "tool_calls_per_key")?.Max, 1, true),
        };
        foreach (var (label, ratio, limit, atMost) in targets)
        {
            var now = ratio(after);
            var met = now is { } value ? (atMost ? value <= limit : value >= limit) ? "yes" : "**no**" : "";
            var then = before is null ? "" : $" {Ratio(ratio(before))} |";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {label} |{then} {Ratio(now)} | {met} |");
        }

        md.AppendLine();
    }

    private static readonly string[] CheckpointStores =
    [
        InMemoryCheckpointScenario.StoreName, FileCheckpointScenario.StoreName, ValkeyCheckpointScenario.StoreName, ValkeyLeaseCheckpointScenario.StoreName,
    ];

    private static void AppendCheckpointStores(StringBuilder md, ResultSummary summary)
    {
        md.AppendLine("The same workflow (three executors pass a short string along, one superstep each, a checkpoint after every");
        md.AppendLine("superstep) run to completion with each store Agent Framework 1.28.0 can use. Its in-memory manager");
        md.AppendLine("(`CheckpointManager.CreateInMemory()`) and its file store (`FileSystemJsonCheckpointStore`, a temp dir) are not");
        md.AppendLine("thread-safe and a file store is exclusive to its process, so each concurrent lane has its own. The Valkey store");
        md.AppendLine("(`ValkeyCheckpointStore` through one `CheckpointManager.CreateJson`) is shared by every lane, a session per run.");
        md.AppendLine("*Whole run under a lease* is what the worker does for a workflow agent: create and queue the run, read, claim,");
        md.AppendLine("each checkpoint committed as a step under lease and fence with its log entry, an `output` step that completes");
        md.AppendLine("the run (one manager for every run, which hands each session to its lease's store). Bytes stored per run:");
        md.AppendLine("heap growth after a full GC (in-memory), file bytes written (file store),");
        md.AppendLine("`used_memory` growth (Valkey). Valkey CPU is `INFO cpu` before and after; client CPU is the bench process's.");
        md.AppendLine();
        md.AppendLine("| store | concurrency | runs/s | relative to in-memory | bytes stored per run | Valkey CPU µs per run | client CPU µs per run |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var store in CheckpointStores)
        {
            foreach (var concurrency in Concurrencies)
            {
                var name = $"{store} c={concurrency}";
                if (!summary.Rows.ContainsKey(name))
                {
                    continue;
                }

                var relative = Ratio(summary, name, $"{InMemoryCheckpointScenario.StoreName} c={concurrency}", "runs_per_s");
                var onValkey = store.StartsWith("Valkey", StringComparison.Ordinal);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {store} | {concurrency} | {Cell(summary.Get(name, "runs_per_s"))} | {Ratio(relative)} | {Cell(summary.Get(name, "stored_bytes_per_run"))} | {(onValkey ? Cell(summary.Get(name, "valkey_cpu_us_per_run")) : "—")} | {Cell(summary.Get(name, "client_cpu_us_per_run"))} |");
            }
        }

        md.AppendLine();
    }

    // From one run: its one-node rows against its cluster rows, so both saw the same load.
    private static void AppendNodeAgainstCluster(StringBuilder md, ResultSummary summary)
    {
        int[] workers = [1, 2, 4];
        if (!workers.Any(count => summary.Rows.ContainsKey(EndToEndScenario.NameOf(count, onCluster: false))))
        {
            return;
        }

        md.AppendLine("One node against the cluster, from the same run (runs of 4 steps each; Valkey CPU on the cluster is the sum");
        md.AppendLine("over its three primaries):");
        md.AppendLine();
        md.AppendLine("| worker processes | runs/s, one node | runs/s, cluster | cluster ÷ node | Valkey CPU µs/run, one node | Valkey CPU µs/run, cluster | cluster ÷ node |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var count in workers)
        {
            var node = EndToEndScenario.NameOf(count, onCluster: false);
            var cluster = EndToEndScenario.NameOf(count, onCluster: true);
            var cells = NodeAgainstClusterMetrics.SelectMany(metric => new[]
            {
                Cell(summary.Get(node, metric)), Cell(summary.Get(cluster, metric)), Ratio(Ratio(summary, cluster, node, metric)),
            });
            md.AppendLine(CultureInfo.InvariantCulture, $"| {count} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
    }

    private static readonly string[] NodeAgainstClusterMetrics = ["runs_per_s", "valkey_cpu_us_per_run"];

    private static void AppendProfile(StringBuilder md, ResultSummary after, ResultSummary? before)
    {
        md.AppendLine("## Where the server's work goes: commands per run at c=64");
        md.AppendLine();
        md.AppendLine("From `INFO commandstats`: calls per run and server µs per run. Commands called inside a script count too, and a");
        md.AppendLine("script's µs (`evalsha`) include theirs, so the µs column does not add up; the CPU figures above are the real total.");
        md.AppendLine();
        var names = new List<(string Label, ResultSummary Summary, string Name)>();
        if (before is not null)
        {
            names.Add(("AgentState before", before, "AgentState whole life c=64"));
        }

        names.Add(("AgentState now", after, "AgentState whole life c=64"));
        names.Add(("cookbook", after, "cookbook c=64"));
        var columns = names.Where(n => n.Summary.Rows.ContainsKey(n.Name)).Select(n => (n.Label, Row: n.Summary.Rows[n.Name])).ToList();
        var commands = columns.SelectMany(c => c.Row.Commands.Where(pair => pair.Value >= 0.005).Select(pair => pair.Key)).Distinct().Order().ToList();
        if (columns.Count == 0 || commands.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| command | {string.Join(" | ", columns.Select(c => $"{c.Label}: calls | µs"))} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(columns.Select(_ => " --- | --- |"))}");
        foreach (var command in commands)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| `{command}` | {string.Join(" | ", columns.Select(c => $"{Spread.Format(c.Row.Commands.GetValueOrDefault(command))} | {Micros(c.Row, command)}"))} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| **all** | {string.Join(" | ", columns.Select(c => $"{Spread.Format(c.Row.Commands.Values.Sum())} | "))} |");
        md.AppendLine();
    }

    private static string Micros(ResultSummary.Row row, string command) =>
        row.Microseconds.TryGetValue(command, out var micros) ? Spread.Format(micros) : "—";

    private static double? Ratio(ResultSummary summary, string name, string baseline, string metric) =>
        summary.Get(name, metric) is { } value && summary.Get(baseline, metric) is { Median: > 0 } reference ? value.Median / reference.Median : null;

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + "×" : "—";

    private static string Cell(Spread? spread) => spread?.ToString() ?? "—";

    private static string Label(string metric) => metric.Replace("_per_", "/", StringComparison.Ordinal).Replace('_', ' ');

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
