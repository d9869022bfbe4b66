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
    private readonly ConcurrentDictionary<string, JsonElement> _created = new(StringComparer.Ordinal);

    public override ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null)
    {
        var info = new CheckpointInfo(sessionId, Guid.NewGuid().ToString("N"));
        _created[info.CheckpointId] = value.Clone();
        return ValueTask.FromResult(info);
    }

    public override async ValueTask<JsonElement> RetrieveCheckpointAsync(string sessionId, CheckpointInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_created.TryGetValue(key.CheckpointId, out var created))
        {
            return created;
        }

        var json = await checkpoints.LoadAsync(sessionId, key.CheckpointId).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Checkpoint '{key.CheckpointId}' of '{sessionId}' is not in Valkey (never saved, deleted or expired).");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public override ValueTask<IEnumerable<CheckpointInfo>> RetrieveIndexAsync(string sessionId, CheckpointInfo? withParent = null) =>
        ValueTask.FromResult<IEnumerable<CheckpointInfo>>(_created.Keys.Select(id => new CheckpointInfo(sessionId, id)).ToArray());
}
