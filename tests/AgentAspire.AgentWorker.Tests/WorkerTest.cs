using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>
/// Base of the worker tests. Each test class has its own real server; its tests run one after another, each on an
/// empty database, with in-process worker hosts and a client (the API's side of AgentState) over the shared connection.
/// </summary>
public abstract class WorkerTest(ValkeyServerFixture server) : IClassFixture<ValkeyServerFixture>, IAsyncLifetime
{
    /// <summary>Bound on every wait of a test.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly List<WorkerHost> _workers = [];
    private readonly List<ServiceProvider> _providers = [];
    private ServiceProvider? _client;

    protected ValkeyServerFixture Server { get; } = server;

    protected IDatabase Db => Server.Database;

    /// <summary>The AgentState services of a client process (what the API uses).</summary>
    protected IServiceProvider Client => _client ??= Server.CreateServices();

    protected RunStore Store => Client.GetRequiredService<RunStore>();

    protected RunQueue Queue => Client.GetRequiredService<RunQueue>();

    public virtual async ValueTask InitializeAsync() => await Server.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Builds and starts a worker host named <paramref name="name"/>; stopped and disposed with the test.</summary>
    protected async Task<WorkerHost> StartWorkerAsync(StepGate gate, string name, IReadOnlyDictionary<string, string?>? settings = null, Action<AgentsBuilder>? agents = null)
    {
        var worker = await WorkerHost.CreateAsync(Server, gate, name, settings, agents);
        _workers.Add(worker);
        await worker.StartAsync();
        return worker;
    }

    /// <summary>Creates and queues a run of <paramref name="agent"/>, as <c>POST /runs</c> does.</summary>
    protected async Task<string> CreateRunAsync(string agent, string input = """{"text":"hello valkey"}""")
    {
        var runId = RunIds.NewRunId();
        var created = await Store.CreateAsync(new NewRun(runId, agent, input, RequestHash: "hash-" + runId));
        Assert.Equal(CreateRunOutcome.Created, created.Outcome);
        return runId;
    }

    protected async Task<RunCheckpoint> CheckpointAsync(string runId) =>
        await Store.GetAsync(runId) ?? throw new InvalidOperationException($"Run {runId} does not exist.");

    protected async Task<IReadOnlyList<LogEntry>> LogAsync(string runId) =>
        (await Client.GetRequiredService<ActivityLog>().ReadAsync(runId, count: ActivityLog.MaxPageSize)).Entries;

    protected async Task<Dictionary<string, string>> StateHashAsync(string runId) =>
        (await Db.HashGetAllAsync(AgentKeys.State(runId))).ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);

    /// <summary>Waits until the run has <paramref name="status"/>.</summary>
    protected Task<RunCheckpoint> WaitForStatusAsync(string runId, string status) =>
        Poll.UntilValueAsync(async () => await CheckpointAsync(runId) is { } checkpoint && checkpoint.Status == status ? checkpoint : null,
            Wait, $"run {runId} to be {status}");

    /// <summary>Waits for <paramref name="task"/>, at most <see cref="Wait"/>, failing with what was awaited.</summary>
    protected static async Task WaitForAsync(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Wait);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Waited {Wait.TotalSeconds} s for {what}.", ex);
        }
    }

    /// <summary>Entries on the run's queue shard: how many there are and how many were delivered and not acknowledged.</summary>
    protected async Task<(long Length, long Pending)> QueueShardAsync(string runId)
    {
        var stream = AgentKeys.RunQueue(Queue.ShardOf(runId));
        if (!await Db.KeyExistsAsync(stream))
        {
            return (0, 0);
        }

        return (await Db.StreamLengthAsync(stream), (await Db.StreamPendingAsync(stream, AgentKeys.WorkerGroup)).PendingMessageCount);
    }

    /// <summary>
    /// Takes the run over as another worker would after the lease expired: the lease key goes (as its TTL would make
    /// it), then a claim with the pending queue entry bumps the fence. The successor's lease lasts long, so nobody
    /// takes the run back during the test.
    /// </summary>
    protected async Task<RunLease> TakeOverAsync(string runId, string successor)
    {
        var stream = AgentKeys.RunQueue(Queue.ShardOf(runId));
        var pending = Assert.Single(await Db.StreamPendingMessagesAsync(stream, AgentKeys.WorkerGroup, 10, RedisValue.Null));
        await Db.KeyDeleteAsync(AgentKeys.Lease(runId));
        var services = Server.CreateServices(options => options.LeaseDuration = TimeSpan.FromMinutes(5));
        _providers.Add(services);
        var leases = services.GetRequiredService<RunLeases>();
        var claim = await leases.ClaimAsync(new QueueEntry(pending.MessageId.ToString(), runId, null, pending.DeliveryCount, Queue.ShardOf(runId)), successor);
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        return claim.Lease!;
    }
}
