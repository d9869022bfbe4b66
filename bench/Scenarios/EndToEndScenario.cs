using System.Diagnostics;
using System.Net;
using System.Text;
using AgentAspire.Bench.Measuring;
using AgentAspire.LocalValkey;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// Runs per second through the HTTP API with <c>workers</c> real AgentWorker processes: 32 clients POST runs of the
/// demo agent for the duration, then the time until the last of them completes. On the private server, or
/// <paramref name="onCluster"/> on a <see cref="LocalValkeyCluster"/> of three primaries started for the scenario, whose
/// Valkey CPU is the sum over the primaries.
/// </summary>
internal sealed class EndToEndScenario(int workers, bool onCluster = false) : IScenario
{
    public const string NodeGroupName = "end to end: API and worker processes, demo agent (4 steps, cached tools)";

    public const string ClusterGroupName = "end to end on a 3-primary Valkey Cluster: API and worker processes, demo agent (4 steps, cached tools)";

    private const int Clients = 32;

    // Throwaway nodes: no append-only file, a temp folder each, the long default node timeout (a busy machine must
    // not make the nodes think one of them failed).
    private static readonly LocalValkeyOptions ClusterOptions = new() { DirectoryPrefix = "agentaspire-bench-cluster-" };

    public string Group => onCluster ? ClusterGroupName : NodeGroupName;

    public string Name => NameOf(workers, onCluster);

    // The one-worker case proves the cluster path; two and four only add processes.
    public bool InSmoke => !onCluster || workers == 1;

    /// <summary>The row name of a scenario, for the report's one node against cluster table.</summary>
    public static string NameOf(int workers, bool onCluster) =>
        $"{(onCluster ? "cluster, " : "")}{workers} worker process{(workers == 1 ? "" : "es")}";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var cluster = onCluster ? await LocalValkeyCluster.StartAsync(options: ClusterOptions, cancellationToken: cancellationToken).ConfigureAwait(false) : null;
        if (cluster is not null)
        {
            context = context.On(cluster.EndPoints, cluster.Password);
        }

        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        var db = connection.GetDatabase();
        var primaries = BenchContext.Primaries(connection);
        var port = LoopbackPorts.Free();
        var processes = new List<AppProcess>();
        try
        {
            processes.Add(AppProcess.Start(context.ApiDll ?? throw new InvalidOperationException("--api-dll is required."), context, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["AgentApi__AllowAnonymous"] = "true",
            }));
            for (var i = 0; i < workers; i++)
            {
                processes.Add(AppProcess.Start(context.WorkerDll ?? throw new InvalidOperationException("--worker-dll is required."), context,
                    new Dictionary<string, string> { ["Worker__Name"] = $"bench-{i}" }));
            }

            void CheckProcesses() => processes.ForEach(process => process.ThrowIfExited());
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var launched = Stopwatch.GetTimestamp();
            await WaitForApiAsync(http, CheckProcesses, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"  API answering after {Stopwatch.GetElapsedTime(launched).TotalSeconds:F1} s");

            // Warm-up: every process JIT-compiled and connected, the tool cache filled.
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostRunAsync(http, cancellationToken))).ConfigureAwait(false);
            // Generous: on a loaded machine a freshly started worker may take a minute to take its first run.
            await AppRuns.WaitForDrainedQueueAsync(db, TimeSpan.FromMinutes(5), CheckProcesses).ConfigureAwait(false);
            Console.Error.WriteLine($"  warm-up runs done after {Stopwatch.GetElapsedTime(launched).TotalSeconds:F1} s");

            long posted = 0;
            var before = await ServerSnapshot.TakeAsync(primaries).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            var deadline = started + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await PostRunAsync(http, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref posted);
                }
            }, cancellationToken))).ConfigureAwait(false);
            await AppRuns.WaitForDrainedQueueAsync(db, TimeSpan.FromMinutes(5), CheckProcesses).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var after = await ServerSnapshot.TakeAsync(primaries).ConfigureAwait(false);
            await AppRuns.VerifyCompletedAsync(db, posted + 20).ConfigureAwait(false);

            return new ScenarioResult(Group, Name)
                .Add("runs_per_s", posted / elapsed.TotalSeconds)
                .AddServerCost(before, after, posted, sentOperations: null)
                .Add("runs", posted)
                .Add("primaries", primaries.Count);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task PostRunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var body = new StringContent($$"""{"agent":"research","input":{{AppRuns.InputJson}}}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/runs", body, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /runs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    private static async Task WaitForApiAsync(HttpClient http, Action checkProcesses, CancellationToken cancellationToken)
    {
        // On a loaded 2-core machine the API has been seen to take a minute to start.
        var deadline = Stopwatch.GetTimestamp() + 180 * Stopwatch.Frequency;
        while (true)
        {
            checkProcesses();
            try
            {
                using var response = await http.GetAsync("/agents", cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (Stopwatch.GetTimestamp() < deadline)
            {
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("The API did not answer GET /agents within 180 s.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
