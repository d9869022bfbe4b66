using System.Diagnostics;
using System.Globalization;
using System.Net;
using AgentAspire.Bench.Measuring;
using AgentAspire.Bench.Reporting;
using AgentAspire.Bench.Scenarios;
using AgentAspire.LocalValkey;

// bench run [--endpoint 127.0.0.1:PORT [--password P]] [--duration S] [--rounds N] [--smoke] [--filter TEXT[|TEXT...]]
//            [--api-dll PATH] [--worker-dll PATH] [--viewer-dll PATH] [--out FILE]
// bench report --results FILE [--baseline FILE] [--separate DIR] [--notes FILE] --markdown FILE --svg FILE
// bench list
var options = Options.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "run" => await RunAsync(options),
    "report" => Report(options),
    "list" => List(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench run [--endpoint HOST:PORT [--password P]] [--duration S] [--rounds N] [--smoke] [--filter TEXT] [--api-dll PATH] [--worker-dll PATH] [--viewer-dll PATH] [--out FILE]");
    Console.Error.WriteLine("       bench report --results FILE [--baseline FILE] [--separate DIR] [--notes FILE] --markdown FILE --svg FILE");
    Console.Error.WriteLine("       bench list");
    return 2;
}

static int List()
{
    foreach (var scenario in ScenarioCatalog.All)
    {
        Console.WriteLine($"{scenario.Group} | {scenario.Name}");
    }

    return 0;
}

static async Task<int> RunAsync(Options options)
{
    var smoke = options.Has("smoke");
    // Without --endpoint, a private server of its own: no RDB or AOF, a free port, a temp dir, killed at the end.
    await using var privateServer = options.Get("endpoint") is null
        ? await LocalValkeyServer.StartAsync(new LocalValkeyOptions { DirectoryPrefix = "agentaspire-bench-" })
        : null;
    var context = new BenchContext(
        [privateServer is null ? IPEndPoint.Parse(options.Get("endpoint")!) : new IPEndPoint(IPAddress.Loopback, privateServer.Port)],
        privateServer?.Password ?? options.Get("password"),
        TimeSpan.FromSeconds(double.Parse(options.Get("duration") ?? (smoke ? "1" : "3"), CultureInfo.InvariantCulture)),
        smoke,
        options.Get("api-dll"),
        options.Get("worker-dll"),
        options.Get("viewer-dll"));
    var rounds = smoke ? 1 : int.Parse(options.Get("rounds") ?? "5", CultureInfo.InvariantCulture);
    // Alternatives separated by '|': a scenario runs when its group and name contain any of them.
    var filters = options.Get("filter")?.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var scenarios = ScenarioCatalog.All
        .Where(s => filters is null || filters.Any(filter => $"{s.Group} {s.Name}".Contains(filter, StringComparison.OrdinalIgnoreCase)))
        .Where(s => !smoke || s.InSmoke)
        .ToList();
    await using var output = options.Get("out") is { } path ? new StreamWriter(path, append: true) { AutoFlush = true } : null;
    void Emit(BenchLine line)
    {
        var json = line.ToJson();
        Console.WriteLine(json);
        output?.WriteLine(json);
    }

    await using var admin = await context.ConnectAsync();
    var server = BenchContext.Server(admin);
    Emit(new BenchLine { Conditions = await Conditions.ReadAsync(server, context, rounds) });

    var failures = 0;
    for (var round = 1; round <= rounds; round++)
    {
        // Interleaved: each round starts one scenario later and alternates direction, so drift in the machine's
        // load spreads over every scenario instead of landing on the ones measured last.
        var order = Enumerable.Range(0, scenarios.Count).Select(i => scenarios[(i + round - 1) % scenarios.Count]);
        if (round % 2 == 0)
        {
            order = order.Reverse();
        }

        foreach (var scenario in order.Where(s => round == 1 || s.EveryRound))
        {
            // SYNC: Valkey 8 flushes lazily by default, and keys freed in the background would lower memory figures.
            await server.ExecuteAsync("FLUSHALL", "SYNC");
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
                var result = await scenario.RunAsync(context, timeout.Token);
                if (result.Metrics.Any(metric => double.IsNaN(metric.Value) || double.IsInfinity(metric.Value)))
                {
                    throw new InvalidOperationException("A figure is not a number.");
                }

                Emit(BenchLine.From(result, round));
            }
            catch (Exception ex)
            {
                failures++;
                Emit(new BenchLine { Group = scenario.Group, Name = scenario.Name, Round = round, Error = $"{ex.GetType().Name}: {ex.Message}" });
            }

            Console.Error.WriteLine($"round {round}: {scenario.Name} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        }
    }

    await server.FlushAllDatabasesAsync();
    Console.Error.WriteLine(failures == 0 ? "every scenario ran" : $"{failures} scenario runs failed");
    return failures == 0 ? 0 : 1;
}

static int Report(Options options)
{
    var results = BenchLine.ReadAll(options.Get("results") ?? throw new ArgumentException("--results is required.")).ToList();
    var baseline = options.Get("baseline") is { } path && File.Exists(path) ? BenchLine.ReadAll(path).ToList() : null;
    var markdown = options.Get("markdown") ?? throw new ArgumentException("--markdown is required.");
    var svg = options.Get("svg") ?? throw new ArgumentException("--svg is required.");
    var summary = new ResultSummary(results);
    var baselineSummary = baseline is null ? null : new ResultSummary(baseline);
    File.WriteAllText(svg, ThroughputChart.Render(summary, baselineSummary));
    var notes = options.Get("notes") is { } notesPath && File.Exists(notesPath) ? File.ReadAllText(notesPath) : "";
    var separate = options.Get("separate") is { } folder && Directory.Exists(folder)
        ? Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal).Select(file => new ResultSummary(BenchLine.ReadAll(file).ToList())).ToList()
        : [];
    File.WriteAllText(markdown, BenchmarkReport.Render(summary, baselineSummary, Path.GetFileNameWithoutExtension(svg) + ".png", notes, separate));
    return 0;
}

/// <summary>The command line: <c>--name value</c> pairs and <c>--flag</c>s.</summary>
internal sealed class Options(Dictionary<string, string?> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            values[args[i][2..]] = hasValue ? args[++i] : null;
        }

        return new Options(values);
    }

    public string? Get(string name) => values.GetValueOrDefault(name);

    public bool Has(string name) => values.ContainsKey(name);
}
