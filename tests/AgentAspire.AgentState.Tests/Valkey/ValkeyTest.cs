using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// Base of the tests against a real server. Each test class has its own server; its tests run one after another and
/// each starts on an empty database, so the global keys (queue, index) hold only what the test wrote.
/// </summary>
public abstract class ValkeyTest(ValkeyServerFixture server) : IClassFixture<ValkeyServerFixture>, IAsyncLifetime
{
    /// <summary>Bound on every wait of a test.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly List<ServiceProvider> _providers = [];

    protected ValkeyServerFixture Server { get; } = server;

    protected IDatabase Db => Server.Database;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => await Server.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The services of one process over the shared connection, or over <paramref name="connection"/>.</summary>
    protected AgentStateServices Services(Action<AgentStateOptions>? configure = null, IConnectionMultiplexer? connection = null)
    {
        var provider = Server.CreateServices(configure, connection);
        _providers.Add(provider);
        return new AgentStateServices(provider);
    }

    /// <summary>Disposes <paramref name="provider"/>, built by the test itself, with the test.</summary>
    protected void Track(ServiceProvider provider) => _providers.Add(provider);

    protected static string NewRunId() => RunIds.NewRunId();

    protected static NewRun NewRun(string runId, string agent = "research", string input = """{"question":"why"}""") =>
        new(runId, agent, input, RequestHash: "hash-" + runId);

    /// <summary>Reads new queue entries for <paramref name="consumer"/> and returns the ones for <paramref name="runId"/>.</summary>
    protected static async Task<List<QueueEntry>> ReadEntriesAsync(RunQueue queue, string consumer, string runId)
    {
        var entries = await queue.ReadAsync(consumer, 100);
        return entries.Where(entry => entry.RunId == runId).ToList();
    }

    /// <summary>Creates a run, takes its queue entry and claims it.</summary>
    protected static async Task<RunLease> CreateAndClaimAsync(AgentStateServices services, string runId, string worker = "worker-a")
    {
        var created = await services.Store.CreateAsync(NewRun(runId));
        Assert.Equal(CreateRunOutcome.Created, created.Outcome);
        var entry = Assert.Single(await ReadEntriesAsync(services.Queue, worker, runId));
        var claim = await services.Leases.ClaimAsync(entry, worker);
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        return claim.Lease!;
    }

    protected async Task<Dictionary<string, string>> HashAsync(string key) =>
        (await Db.HashGetAllAsync(key)).ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);

    /// <summary>Entries delivered and not acknowledged, summed over the queue shards of the default options.</summary>
    protected async Task<long> PendingAsync()
    {
        var pending = await Task.WhenAll(QueueShards().Select(async stream =>
            await Db.KeyExistsAsync(stream) ? (await Db.StreamPendingAsync(stream, AgentKeys.WorkerGroup)).PendingMessageCount : 0));
        return pending.Sum();
    }

    /// <summary>Entries in the queue streams, summed over the shards of the default options.</summary>
    protected async Task<long> QueueLengthAsync()
    {
        var lengths = await Task.WhenAll(QueueShards().Select(stream => Db.StreamLengthAsync(stream)));
        return lengths.Sum();
    }

    /// <summary>A run's score in the all-runs index, or in the index of <paramref name="status"/>.</summary>
    protected Task<double?> IndexScoreAsync(string runId, string? status = null)
    {
        var shard = AgentKeys.ShardOf(runId, AgentKeys.RunIndexShards);
        return Db.SortedSetScoreAsync(status is null ? AgentKeys.RunIndex(shard) : AgentKeys.RunIndexByStatus(shard, status), runId);
    }

    /// <summary>A run's score in the index of <paramref name="agent"/>.</summary>
    protected Task<double?> AgentIndexScoreAsync(string runId, string agent) =>
        Db.SortedSetScoreAsync(AgentKeys.RunIndexByAgent(AgentKeys.ShardOf(runId, AgentKeys.RunIndexShards), agent), runId);

    private static IEnumerable<RedisKey> QueueShards() =>
        Enumerable.Range(0, new AgentStateOptions().QueueShards).Select(shard => (RedisKey)AgentKeys.RunQueue(shard));
}

/// <summary>The AgentState services of one simulated process.</summary>
public sealed record AgentStateServices(IServiceProvider Provider)
{
    public RunStore Store => Provider.GetRequiredService<RunStore>();
    public RunLeases Leases => Provider.GetRequiredService<RunLeases>();
    public RunQueue Queue => Provider.GetRequiredService<RunQueue>();
    public ActivityLog Log => Provider.GetRequiredService<ActivityLog>();
    public ToolCache Cache => Provider.GetRequiredService<ToolCache>();
}
