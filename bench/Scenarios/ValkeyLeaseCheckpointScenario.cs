using AgentAspire.AgentFramework;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Scripting;
using AgentAspire.AgentState.Workflows;
using AgentAspire.Bench.Measuring;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// The Valkey store bound to a run's lease, as the worker runs a workflow agent: create and queue, read, claim,
/// each checkpoint committed as a step under lease and fence, the output step completes the run and acknowledges.
/// One checkpoint manager serves every run (<see cref="LeaseRoutingCheckpointStore"/>).
/// </summary>
internal sealed class ValkeyLeaseCheckpointScenario(int concurrency) : WorkflowCheckpointScenario(concurrency)
{
    public const string StoreName = "Valkey store, whole run under a lease";

    private AgentStateServices? _services;
    private LeaseRoutingCheckpointStore _store = null!;
    private CheckpointManager _manager = null!;

    protected override string Store => StoreName;

    protected override async Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns)
    {
        _services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        await _services.Queue.EnsureGroupAsync().ConfigureAwait(false);
        _store = new LeaseRoutingCheckpointStore(_services.Provider.GetRequiredService<WorkflowCheckpoints>());
        _manager = CheckpointManager.CreateJson(_store);
    }

    protected override async Task<bool> RunOneAsync(int lane)
    {
        var services = _services!;
        await RunOnce.CreateAsync(services, RunIds.NewRunId()).ConfigureAwait(false);
        var entry = await RunOnce.ReadOneAsync(services, "bench").ConfigureAwait(false)
            ?? throw new InvalidOperationException("A created run was not in the queue.");
        var claim = await services.Leases.ClaimAsync(entry, "bench").ConfigureAwait(false);
        var lease = claim.Lease ?? throw new InvalidOperationException($"Run {entry.RunId} was not claimed: {claim.Outcome} ({claim.Status}).");

        var store = _store.Bind(lease);
        try
        {
            await NoOpWorkflow.RunAsync(_manager, lease.RunId).ConfigureAwait(false);
        }
        finally
        {
            _store.Release(lease.RunId);
        }

        if (store.LastStep != NoOpWorkflow.Checkpoints)
        {
            throw new InvalidOperationException($"Run {lease.RunId} committed {store.LastStep} checkpoints, expected {NoOpWorkflow.Checkpoints}.");
        }

        var output = await lease.CommitStepAsync(store.LastStep + 1, WorkflowRunner.OutputStepName, $"\"{NoOpWorkflow.Output}\"", """{"outputs":1}""", isLastStep: true).ConfigureAwait(false);
        return output == CommitOutcome.Completed
            ? true
            : throw new InvalidOperationException($"Run {lease.RunId}: the output step answered {output}, expected {CommitOutcome.Completed}.");
    }

    protected override Task<long?> StoredBytesAsync(ServerSnapshot snapshot) => Task.FromResult<long?>(snapshot.UsedMemory);

    protected override async Task VerifyAsync(ConnectionMultiplexer connection, long runs)
    {
        var pending = await ShardedKeys.PendingAsync(connection.GetDatabase()).ConfigureAwait(false);
        if (pending != 0)
        {
            throw new InvalidOperationException($"{pending} queue entries are left unacknowledged after every run completed.");
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
