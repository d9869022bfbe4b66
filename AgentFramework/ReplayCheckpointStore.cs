using System.Collections.Concurrent;
using System.Text.Json;
using AgentAspire.AgentState.Workflows;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;

namespace AgentAspire.AgentFramework;

/// <summary>
/// A store for running a superstep again that was committed already: it reads the run's checkpoints from Valkey and
/// keeps the new ones in memory, so the replay commits nothing and moves no step of the run.
/// </summary>
/// <param name="checkpoints">The Valkey checkpoints the replay starts from.</param>
internal sealed class ReplayCheckpointStore(WorkflowCheckpoints checkpoints) : JsonCheckpointStore
{
    private readonly ValkeyCheckpointStore _committed = new(checkpoints);
    private readonly ConcurrentDictionary<string, JsonElement> _created = new(StringComparer.Ordinal);

    public override ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null)
    {
        var info = new CheckpointInfo(sessionId, Guid.NewGuid().ToString("N"));
        _created[info.CheckpointId] = value.Clone();
        return ValueTask.FromResult(info);
    }

    public override ValueTask<JsonElement> RetrieveCheckpointAsync(string sessionId, CheckpointInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _created.TryGetValue(key.CheckpointId, out var created)
            ? ValueTask.FromResult(created)
            : _committed.RetrieveCheckpointAsync(sessionId, key);
    }

    public override ValueTask<IEnumerable<CheckpointInfo>> RetrieveIndexAsync(string sessionId, CheckpointInfo? withParent = null) =>
        ValueTask.FromResult<IEnumerable<CheckpointInfo>>(_created.Keys.Select(id => new CheckpointInfo(sessionId, id)).ToArray());
}
