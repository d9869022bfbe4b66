using System.Collections.Concurrent;
using System.Text.Json;
using AgentAspire.AgentFramework;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Workflows;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// One store for the process that hands each session to the <see cref="ValkeyCheckpointStore"/> of its run's lease,
/// so one <see cref="CheckpointManager"/> serves every run: Agent Framework builds a manager's JSON metadata anew
/// for each manager, which costs milliseconds of CPU per run when each run has its own.
/// </summary>
internal sealed class LeaseRoutingCheckpointStore(WorkflowCheckpoints checkpoints) : JsonCheckpointStore
{
    private readonly ConcurrentDictionary<string, ValkeyCheckpointStore> _runs = new(StringComparer.Ordinal);

    /// <summary>Binds the run held by <paramref name="lease"/>; its checkpoints go through the returned store until <see cref="Release"/>.</summary>
    public ValkeyCheckpointStore Bind(RunLease lease)
    {
        var store = new ValkeyCheckpointStore(checkpoints, lease);
        return _runs.TryAdd(lease.RunId, store) ? store : throw new InvalidOperationException($"Run {lease.RunId} is bound already.");
    }

    public void Release(string runId) => _runs.TryRemove(runId, out _);

    public override ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null) =>
        For(sessionId).CreateCheckpointAsync(sessionId, value, parent);

    public override ValueTask<JsonElement> RetrieveCheckpointAsync(string sessionId, CheckpointInfo key) =>
        For(sessionId).RetrieveCheckpointAsync(sessionId, key);

    public override ValueTask<IEnumerable<CheckpointInfo>> RetrieveIndexAsync(string sessionId, CheckpointInfo? withParent = null) =>
        For(sessionId).RetrieveIndexAsync(sessionId, withParent);

    private ValkeyCheckpointStore For(string sessionId) =>
        _runs.TryGetValue(sessionId, out var store) ? store : throw new InvalidOperationException($"Session {sessionId} is not bound to a lease.");
}
