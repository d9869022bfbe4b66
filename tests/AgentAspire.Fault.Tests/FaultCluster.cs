using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Replays;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.Fault.Tests;

/// <summary>
/// One private Valkey, the worker processes the test starts against it, and the AgentState services of the test
/// itself (standing for the API: it creates runs and reads them back).
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    /// <summary>The research agent's steps, in order.</summary>
    public static readonly string[] StepNames = ["plan", "search", "analyze", "respond"];

    private readonly List<WorkerProcess> _workers = [];
    private readonly Dictionary<string, string> _environment;
    private ServiceProvider _services = null!;

    private FaultCluster(FaultValkey valkey, TimeSpan lease, TimeSpan toolLockLease, int concurrency, int maxDeliveries)
    {
        Valkey = valkey;
        Lease = lease;
        _environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__valkey"] = valkey.ConnectionString,
            ["AgentState__LeaseDuration"] = lease.ToString("c", CultureInfo.InvariantCulture),
            ["AgentState__ToolLockLease"] = toolLockLease.ToString("c", CultureInfo.InvariantCulture),
            // A kill before a run's next commit costs it a delivery; the tier kills far more often than production would.
            ["AgentState__MaxDeliveries"] = maxDeliveries.ToString(CultureInfo.InvariantCulture),
            ["Worker__PollInterval"] = "00:00:00.200",
            ["Worker__MaxConcurrentRuns"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Worker__StepRetryDelay"] = "00:00:00.050",
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["OTEL_SDK_DISABLED"] = "true",
        };
    }

    public FaultValkey Valkey { get; }

    public TimeSpan Lease { get; }

    public TimeSpan ToolLockLease => TimeSpan.Parse(_environment["AgentState__ToolLockLease"], CultureInfo.InvariantCulture);

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public IDatabase Db => Connection.GetDatabase();

    public RunStore Store => _services.GetRequiredService<RunStore>();

    public ActivityLog Log => _services.GetRequiredService<ActivityLog>();

    /// <summary>Replays, forks, cancels and decides runs, as the API does.</summary>
    public RunControl Control => _services.GetRequiredService<RunControl>();

    /// <summary>Compares two runs, as <c>GET /runs/{a}/compare/{b}</c> does.</summary>
    public RunComparer Comparer => _services.GetRequiredService<RunComparer>();

    public static async Task<FaultCluster> StartAsync(TimeSpan? lease = null, TimeSpan? toolLockLease = null, int concurrency = 16, int maxDeliveries = 50)
    {
        var valkey = new FaultValkey();
        await valkey.StartAsync().ConfigureAwait(false);
        var cluster = new FaultCluster(valkey, lease ?? TimeSpan.FromSeconds(2), toolLockLease ?? TimeSpan.FromSeconds(2), concurrency, maxDeliveries);
        cluster.Connection = await ConnectionMultiplexer.ConnectAsync(valkey.ConnectionString + ",allowAdmin=true").ConfigureAwait(false);
        await WaitUntilAsync(async () => (await PingAsync(cluster.Connection).ConfigureAwait(false)), TimeSpan.FromSeconds(15), "valkey-server to answer").ConfigureAwait(false);
        cluster._services = new ServiceCollection()
            .AddSingleton(cluster.Connection)
            .AddLogging()
            .AddAgentState(options => options.LeaseDuration = cluster.Lease)
            .BuildServiceProvider();
        return cluster;
    }

    /// <summary>Starts a worker process; <paramref name="maxConcurrentRuns"/> overrides the cluster's concurrency for it.</summary>
    public WorkerProcess StartWorker(string name, int? maxConcurrentRuns = null)
    {
        var environment = new Dictionary<string, string>(_environment);
        if (maxConcurrentRuns is { } concurrency)
        {
            environment["Worker__MaxConcurrentRuns"] = concurrency.ToString(CultureInfo.InvariantCulture);
        }

        var worker = WorkerProcess.Start(name, Valkey.Directory, environment);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>
    /// Points the workers started from now on at a model (their <c>llm</c> connection string) and gives that model a
    /// price per million tokens, so the runs' costs are counted.
    /// </summary>
    public void SetModel(string connectionString, (string Model, string Input, string Output, string CachedInput) price)
    {
        _environment["ConnectionStrings__llm"] = connectionString;
        _environment[$"Models__Prices__{price.Model}__Input"] = price.Input;
        _environment[$"Models__Prices__{price.Model}__Output"] = price.Output;
        _environment[$"Models__Prices__{price.Model}__CachedInput"] = price.CachedInput;
    }

    /// <summary>Creates one research-loop run; <paramref name="turnDelayMs"/> pauses the worker before each model turn.</summary>
    public async Task<string> CreateLoopRunAsync(string question, int turnDelayMs, string label)
    {
        var runId = RunIds.NewRunId();
        var input = JsonSerializer.Serialize(new { question, turnDelayMs });
        var created = await Store.CreateAsync(new NewRun(runId, "research-loop", input, RequestHash: $"{label}-{runId}")).ConfigureAwait(false);
        Assert.Equal(CreateRunOutcome.Created, created.Outcome);
        return runId;
    }

    /// <summary>Gives the workers started from now on the tier's test agents (<see cref="StartupHook"/>).</summary>
    public void AddTestAgents() => _environment[StartupHook.Variable] = typeof(StartupHook).Assembly.Location;

    /// <summary>Creates one run of <see cref="ManyStepsAgent"/> (workers need <see cref="AddTestAgents"/>).</summary>
    public async Task<string> CreateManyStepsRunAsync(int stepDelayMs, string label)
    {
        var runId = RunIds.NewRunId();
        var input = JsonSerializer.Serialize(new ManyStepsInput(stepDelayMs), JsonSerializerOptions.Web);
        var created = await Store.CreateAsync(new NewRun(runId, ManyStepsAgent.AgentName, input, RequestHash: $"{label}-{runId}")).ConfigureAwait(false);
        Assert.Equal(CreateRunOutcome.Created, created.Outcome);
        return runId;
    }

    /// <summary>Creates <paramref name="count"/> research runs, each with its own question; returns their ids.</summary>
    public async Task<List<string>> CreateRunsAsync(int count, int stepDelayMs, string label)
    {
        var ids = new List<string>(count);
        foreach (var i in Enumerable.Range(0, count))
        {
            ids.Add(await CreateRunAsync($"{label} question {i}: how do leases fence a {label} worker?", stepDelayMs, label).ConfigureAwait(false));
        }

        return ids;
    }

    /// <summary>Creates one research run; <paramref name="searchLatencyMs"/> makes each of its web_search calls take that long.</summary>
    public async Task<string> CreateRunAsync(string question, int stepDelayMs, string label, int searchLatencyMs = 0)
    {
        var runId = RunIds.NewRunId();
        var input = JsonSerializer.Serialize(new { question, stepDelayMs, searchLatencyMs });
        var created = await Store.CreateAsync(new NewRun(runId, "research", input, RequestHash: $"{label}-{runId}")).ConfigureAwait(false);
        Assert.Equal(CreateRunOutcome.Created, created.Outcome);
        return runId;
    }

    /// <summary>
    /// Waits until Valkey has written and synced everything this connection wrote to its AOF (<c>WAITAOF</c>). With
    /// <c>appendfsync everysec</c> Valkey may hold back the AOF write for up to two seconds while a slow disk finishes
    /// its last sync, answering meanwhile; a test that kills Valkey right after a write it means to survive calls this.
    /// </summary>
    public async Task WaitUntilOnDiskAsync()
    {
        var synced = (RedisResult[])(await Db.ExecuteAsync("WAITAOF", 1, 0, 10_000).ConfigureAwait(false))!;
        Assert.True((int)synced[0] == 1, "Valkey did not sync its AOF within 10 s.");
    }

    /// <summary>The worker that holds <paramref name="runId"/>'s lease now, or null.</summary>
    public async Task<string?> LeaseHolderAsync(string runId)
    {
        var owner = (string?)await Db.StringGetAsync(AgentKeys.Lease(runId)).ConfigureAwait(false);
        return owner?.Split('/')[0];
    }

    /// <summary>How many run leases workers whose name starts with <paramref name="worker"/> hold now.</summary>
    public async Task<int> LeasesHeldByAsync(string worker)
    {
        var server = Connection.GetServer(Connection.GetEndPoints()[0]);
        var held = 0;
        await foreach (var key in server.KeysAsync(pattern: "agent:lease:*").ConfigureAwait(false))
        {
            var owner = (string?)await Db.StringGetAsync(key).ConfigureAwait(false);
            held += owner is not null && owner.StartsWith(worker, StringComparison.Ordinal) ? 1 : 0;
        }

        return held;
    }

    /// <summary>Waits until every run has ended (complete, failed or cancelled) and returns the checkpoints.</summary>
    public async Task<Dictionary<string, RunCheckpoint>> WaitForEndAsync(IReadOnlyCollection<string> runIds, TimeSpan timeout)
    {
        var ended = new Dictionary<string, RunCheckpoint>();
        await WaitUntilAsync(async () =>
        {
            foreach (var runId in runIds.Where(id => !ended.ContainsKey(id)))
            {
                if (await Store.GetAsync(runId).ConfigureAwait(false) is { } checkpoint && RunStatus.IsFinal(checkpoint.Status))
                {
                    ended[runId] = checkpoint;
                }
            }

            return ended.Count == runIds.Count;
        }, timeout, $"{runIds.Count} runs to end", () => $"{ended.Count} ended; open: {string.Join(", ", runIds.Where(id => !ended.ContainsKey(id)).Take(5))}\n{WorkerLogs()}").ConfigureAwait(false);
        return ended;
    }

    public async Task<List<LogEntry>> ReadLogAsync(string runId)
    {
        var entries = new List<LogEntry>();
        await foreach (var entry in Log.ReadAllAsync(runId).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public string WorkerLogs() => string.Join("\n", _workers.Select(worker => $"--- {worker.Name}\n{Tail(worker.ReadLog())}"));

    /// <summary>Polls <paramref name="condition"/>; Valkey is restarting in some tests, so its faults mean "not yet".</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? state = null) =>
        Poll.UntilAsync(condition, timeout, what, state, retryOn: ValkeyFaults.IsInfrastructure);

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        await _services.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
        await Valkey.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<bool> PingAsync(IConnectionMultiplexer connection)
    {
        await connection.GetDatabase().PingAsync().ConfigureAwait(false);
        return true;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
