using AgentAspire.LocalValkey;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.Bench.Measuring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// What an open page costs the LogViewer: a real viewer process and Debian's Chromium with <c>pages</c> run pages open,
/// while <c>liveRuns</c> runs each log an entry every half second. Measures the viewer's CPU and resident memory over
/// the same load with no page open and with the pages open (the difference, per page), and how long an entry takes
/// from its append to its row in a page (a MutationObserver in each page stamps the row's arrival), split at the
/// moment the page's script receives the WebSocket message of the render batch that carries it: before it the
/// viewer's share (with Valkey's, the delivery and the wait for the page's main thread), after it Blazor applying the
/// batch in the browser. Chromium's and Valkey's CPU over the same window are reported beside the viewer's, since
/// all of them share the machine's cores.
/// </summary>
internal sealed class ViewerWatchersScenario(int pages, int liveRuns) : IScenario
{
    public const string GroupName = "viewer: cost per open page";

    private const string ChromiumPath = "/usr/bin/chromium";
    private const string AccessKey = "bench-viewer-access-key";
    private static readonly TimeSpan AppendEvery = TimeSpan.FromMilliseconds(500);

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    // Every row added to the page is stamped with the wall clock the moment it is in the document.
    private const string StampRows = """
        () => {
            window.__seen = {};
            new MutationObserver(records => {
                const now = Date.now();
                for (const record of records) {
                    for (const node of record.addedNodes) {
                        if (node.nodeType !== 1) continue;
                        const rows = node.matches && node.matches('tr.log-entry') ? [node] : node.querySelectorAll ? node.querySelectorAll('tr.log-entry') : [];
                        for (const row of rows) { window.__seen[row.dataset.entryId] ??= now; }
                    }
                }
            }).observe(document.body, { childList: true, subtree: true });
        }
        """;

    // Every message on the page's WebSocket is stamped as it reaches the page, before Blazor's own handler applies it,
    // with the entry ids it carries (the render batch holds each row's data-entry-id as text).
    private const string StampSocket = """
        (() => {
            window.__socket = {};
            const Native = window.WebSocket;
            window.WebSocket = class extends Native {
                constructor(...args) {
                    super(...args);
                    this.addEventListener('message', event => {
                        const now = Date.now();
                        const data = event.data;
                        const text = typeof data === 'string' ? data : new TextDecoder('latin1').decode(data);
                        for (const id of text.match(/\d{13}-\d+/g) ?? []) { window.__socket[id] ??= now; }
                    });
                }
            };
        })();
        """;

    public string Group => GroupName;

    public string Name => $"{pages} page{(pages == 1 ? "" : "s")} on {liveRuns} live run{(liveRuns == 1 ? "" : "s")}";

    public bool EveryRound => false;

    // One page proves the path; twenty add a minute of Chromium to a smoke run.
    public bool InSmoke => pages == 1;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var window = context.Smoke ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(Math.Max(15, context.Duration.TotalSeconds * 5));
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await using var services = BenchContext.Services(connection);
        var log = services.Provider.GetRequiredService<ActivityLog>();
        var runIds = Enumerable.Range(0, liveRuns).Select(_ => RunIds.NewRunId()).ToList();
        await Task.WhenAll(runIds.Select(runId => services.Store.CreateAsync(AppRuns.NewRun(runId)))).ConfigureAwait(false);

        var port = LoopbackPorts.Free();
        var viewerUrl = new Uri($"http://127.0.0.1:{port}");
        await using var viewer = AppProcess.Start(context.ViewerDll ?? throw new InvalidOperationException("--viewer-dll is required."), context,
            new Dictionary<string, string>
            {
                // Development serves the static assets from the build output (blazor.web.js among them).
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = viewerUrl.ToString(),
                ["LogViewer__AccessKey"] = AccessKey,
                ["AgentApi__ApiKey"] = "unused",
                // No api here: a run page's question for the agents' steps fails fast and the timeline shows committed steps.
                ["services__api__http__0"] = "http://127.0.0.1:9",
            });
        await WaitForViewerAsync(viewerUrl, viewer, cancellationToken).ConfigureAwait(false);

        using var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs }).ConfigureAwait(false);
        await using var browserContext = await browser.NewContextAsync().ConfigureAwait(false);
        var signIn = await browserContext.NewPageAsync().ConfigureAwait(false);
        await signIn.GotoAsync(new Uri(viewerUrl, $"/signin?key={AccessKey}").ToString()).ConfigureAwait(false);
        await signIn.CloseAsync().ConfigureAwait(false);

        // The load runs throughout: every live run logs an entry every half second.
        var appended = new System.Collections.Concurrent.ConcurrentDictionary<(string RunId, string EntryId), long>();
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = Task.WhenAll(runIds.Select((runId, i) => AppendAsync(log, runId, i, appended, stopLoad.Token)));
        try
        {
            // A first set of pages, opened and closed, pays the one-time costs (code compiled, the circuit machinery
            // loaded, the native heap grown to its working size), so the figures below are the cost of a page, not of
            // the first ones. They stay open on live runs until the runtime's tiered compilation has gone quiet: a
            // method a page calls once per entry reaches its call count for recompiling only after seconds at one
            // run's two entries a second, and within the window that recompiling cost one page 5.5 % of a core, most
            // of what the page measured; with twenty pages, code first hot at that load (7 MB of it, and the
            // compiler's native scratch) was counted as the pages' memory.
            var warmUp = await OpenPagesAsync(browserContext, viewerUrl, runIds).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            await WaitForCompilationQuietAsync(viewer, cancellationToken).ConfigureAwait(false);
            foreach (var (page, _) in warmUp)
            {
                await page.CloseAsync().ConfigureAwait(false);
            }

            // Without pages: what the load alone costs the viewer.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            var (idleCpu, idleRss) = await MeasureAsync(viewer, window, cancellationToken).ConfigureAwait(false);

            var open = await OpenPagesAsync(browserContext, viewerUrl, runIds).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            await WaitForCompilationQuietAsync(viewer, cancellationToken).ConfigureAwait(false);
            var measuredFrom = UnixMilliseconds();
            var browserBefore = BrowserCpuSeconds();
            var valkeyBefore = await ServerSnapshot.TakeAsync(BenchContext.Primaries(connection)).ConfigureAwait(false);
            var (pagesCpu, pagesRss) = await MeasureAsync(viewer, window, cancellationToken).ConfigureAwait(false);
            var valkeyAfter = await ServerSnapshot.TakeAsync(BenchContext.Primaries(connection)).ConfigureAwait(false);
            var browserCores = (BrowserCpuSeconds() - browserBefore) / window.TotalSeconds;
            var measuredTo = UnixMilliseconds();

            // Entry-to-page latency of the entries appended in the window, on every page that watches their run.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            var latencies = new List<double>();
            var toSocket = new List<double>();
            var socketToRow = new List<double>();
            var missing = 0;
            foreach (var (page, runId) in open)
            {
                var seen = JsonSerializer.Deserialize<Dictionary<string, long>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__seen)").ConfigureAwait(false))!;
                var onSocket = JsonSerializer.Deserialize<Dictionary<string, long>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__socket)").ConfigureAwait(false))!;
                foreach (var ((entryRun, entryId), at) in appended)
                {
                    if (entryRun != runId || at < measuredFrom || at > measuredTo)
                    {
                        continue;
                    }

                    if (seen.TryGetValue(entryId, out var shown))
                    {
                        latencies.Add(Math.Max(0, shown - at));
                        if (onSocket.TryGetValue(entryId, out var arrived))
                        {
                            toSocket.Add(Math.Max(0, arrived - at));
                            socketToRow.Add(Math.Max(0, shown - arrived));
                        }
                    }
                    else
                    {
                        missing++;
                    }
                }
            }

            if (latencies.Count == 0 || missing > latencies.Count / 100)
            {
                throw new InvalidOperationException($"{missing} entries never reached their page ({latencies.Count} did).");
            }

            if (toSocket.Count < latencies.Count / 2)
            {
                throw new InvalidOperationException($"Only {toSocket.Count} of {latencies.Count} rows were seen on their page's socket first.");
            }

            latencies.Sort();
            toSocket.Sort();
            socketToRow.Sort();
            return new ScenarioResult(Group, Name)
                .Add("cpu_pct_of_core_per_page", (pagesCpu - idleCpu) * 100 / pages)
                .Add("rss_mib_per_page", (pagesRss - idleRss) / 1048576.0 / pages)
                .Add("p50_ms", Percentile(latencies, 0.50))
                .Add("p95_ms", Percentile(latencies, 0.95))
                .Add("to_socket_p50_ms", Percentile(toSocket, 0.50))
                .Add("to_socket_p95_ms", Percentile(toSocket, 0.95))
                .Add("socket_to_row_p95_ms", Percentile(socketToRow, 0.95))
                .Add("viewer_cpu_pct_of_core", pagesCpu * 100)
                .Add("viewer_cpu_pct_of_core_without_pages", idleCpu * 100)
                .Add("viewer_rss_mib", pagesRss / 1048576.0)
                .Add("chromium_cpu_pct_of_core", browserCores * 100)
                .Add("valkey_cpu_pct_of_core", (valkeyAfter.CpuSeconds - valkeyBefore.CpuSeconds) / window.TotalSeconds * 100)
                .Add("entries_per_s", liveRuns / AppendEvery.TotalSeconds)
                .Add("entries_measured", latencies.Count);
        }
        finally
        {
            await stopLoad.CancelAsync().ConfigureAwait(false);
            try
            {
                await load.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await Task.WhenAll(runIds.Select(runId => services.Store.DeleteAsync(runId))).ConfigureAwait(false);
        }
    }

    // The scenario's pages: two per watched run when there are enough pages, so runs are shared. Each records when an
    // entry reached its socket and its document.
    private async Task<List<(IPage Page, string RunId)>> OpenPagesAsync(IBrowserContext browserContext, Uri viewerUrl, List<string> runIds)
    {
        var watched = Math.Max(1, pages / 2);
        var open = new List<(IPage Page, string RunId)>();
        for (var i = 0; i < pages; i++)
        {
            var runId = runIds[i % watched % runIds.Count];
            var page = await browserContext.NewPageAsync().ConfigureAwait(false);
            page.SetDefaultTimeout(60_000);
            await page.AddInitScriptAsync(StampSocket).ConfigureAwait(false);
            await page.GotoAsync(new Uri(viewerUrl, $"/runs/{runId}").ToString()).ConfigureAwait(false);
            await page.WaitForSelectorAsync(".circuit[data-interactive='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached }).ConfigureAwait(false);
            await page.EvaluateAsync(StampRows).ConfigureAwait(false);
            open.Add((page, runId));
        }

        return open;
    }

    private static async Task AppendAsync(ActivityLog log, string runId, int index, System.Collections.Concurrent.ConcurrentDictionary<(string, string), long> appended, CancellationToken stop)
    {
        // Spread over the half second, so the entries arrive evenly rather than in one burst.
        await Task.Delay(TimeSpan.FromMilliseconds(index * 500.0 / 100 % 500), stop).ConfigureAwait(false);
        using var timer = new PeriodicTimer(AppendEvery);
        var sequence = 0;
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            var id = await log.AppendAsync(runId, "bench_probe", $$"""{"n":{{sequence++}}}""").ConfigureAwait(false);
            if (id is not null)
            {
                appended[(runId, id)] = UnixMilliseconds();
            }
        }
    }

    // The viewer's CPU (in cores) and its resident memory at the end, over one window of the load.
    private static async Task<(double Cores, long Rss)> MeasureAsync(AppProcess viewer, TimeSpan window, CancellationToken cancellationToken)
    {
        var cpuBefore = CpuSeconds(viewer.Id);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(window, cancellationToken).ConfigureAwait(false);
        var cores = (CpuSeconds(viewer.Id) - cpuBefore) / Stopwatch.GetElapsedTime(started).TotalSeconds;
        viewer.ThrowIfExited();
        return (cores, viewer.ResidentBytes());
    }

    // Until the runtime's tiered-compilation thread has used no CPU for three seconds in a row (at most a minute).
    private static async Task WaitForCompilationQuietAsync(AppProcess viewer, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        var last = CompilationCpuSeconds(viewer.Id);
        for (var quiet = 0; quiet < 3 && Stopwatch.GetTimestamp() < deadline;)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            var now = CompilationCpuSeconds(viewer.Id);
            quiet = now <= last ? quiet + 1 : 0;
            last = now;
        }
    }

    // The CPU of the runtime's background compilation thread (".NET Tiered Compilation Worker", cut to 15 characters).
    private static double CompilationCpuSeconds(int pid)
    {
        double seconds = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    seconds += CpuSeconds(Path.Combine(task, "stat"));
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile (it does when idle).
            }
        }

        return seconds;
    }

    private static double CpuSeconds(int pid) => CpuSeconds($"/proc/{pid}/stat");

    // utime + stime of a stat file, in clock ticks of 1/100 s; read after the command name, which may hold spaces.
    private static double CpuSeconds(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    // Chromium's processes (browser, renderers, GPU and utility processes) descend from the Playwright driver this
    // process started; the viewer is a child too, but not a Chromium.
    private static double BrowserCpuSeconds()
    {
        var parents = new Dictionary<int, int>();
        var names = new Dictionary<int, string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                names[pid] = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        bool Descends(int pid)
        {
            for (var hops = 0; hops < 64 && parents.TryGetValue(pid, out var parent); hops++, pid = parent)
            {
                if (parent == Environment.ProcessId)
                {
                    return true;
                }
            }

            return false;
        }

        double seconds = 0;
        foreach (var (pid, name) in names)
        {
            if (name.StartsWith("chrom", StringComparison.Ordinal) && Descends(pid))
            {
                try
                {
                    seconds += CpuSeconds(pid);
                }
                catch (IOException)
                {
                    // The process ended meanwhile.
                }
            }
        }

        return seconds;
    }

    private static async Task WaitForViewerAsync(Uri viewerUrl, AppProcess viewer, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (true)
        {
            viewer.ThrowIfExited();
            try
            {
                using var response = await http.GetAsync(new Uri(viewerUrl, "/signin"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (Stopwatch.GetTimestamp() < deadline)
            {
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static long UnixMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
