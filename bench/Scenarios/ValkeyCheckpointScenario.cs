using AgentAspire.AgentFramework;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Scripting;
using AgentAspire.AgentState.Workflows;
using AgentAspire.Bench.Measuring;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>The project's Valkey checkpoint store on its own, shared by every lane, a session per run; bytes are <c>used_memory</c> growth.</summary>
internal sealed class ValkeyCheckpointScenario(int concurrency) : WorkflowCheckpointScenario(concurrency)
{
    public const string StoreName = "Valkey store";

    private AgentStateServices? _services;
    private WorkflowCheckpoints _checkpoints = null!;
    private CheckpointManager _manager = null!;
    private string? _lastSession;

    protected override string Store => StoreName;

    protected override async Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns)
    {
        _services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        _checkpoints = _services.Provider.GetRequiredService<WorkflowCheckpoints>();
        _manager = CheckpointManager.CreateJson(new ValkeyCheckpointStore(_checkpoints));
    }

    protected override async Task<bool> RunOneAsync(int lane)
    {
        var session = RunIds.NewRunId();
        await NoOpWorkflow.RunAsync(_manager, session).ConfigureAwait(false);
        _lastSession = session;
        return true;
    }

    protected override Task<long?> StoredBytesAsync(ServerSnapshot snapshot) => Task.FromResult<long?>(snapshot.UsedMemory);

    protected override async Task VerifyAsync(ConnectionMultiplexer connection, long runs)
    {
        var saved = _lastSession is null ? 0 : (await _checkpoints.ListAsync(_lastSession).ConfigureAwait(false)).Count;
        if (saved != NoOpWorkflow.Checkpoints)
        {
            throw new InvalidOperationException($"Session {_lastSession} has {saved} checkpoints in Valkey, expected {NoOpWorkflow.Checkpoints}.");
        }
    }

    protected override async ValueTask CleanUpAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }
    }
}
