using System.Text.Json;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Workflows;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;

namespace AgentAspire.AgentFramework;

/// <summary>
/// A Microsoft Agent Framework checkpoint store on Valkey. A session's checkpoints share the hash tag of its id (a
/// valid run id) and the run TTL. Bound to a <see cref="RunLease"/>, each checkpoint is committed as the run's next
/// step in one round trip under the lease and fence: a worker that lost the run gets <see cref="CheckpointRefusedException"/>.
/// </summary>
/// <example>
/// <code>
/// var store = new ValkeyCheckpointStore(services.GetRequiredService&lt;WorkflowCheckpoints&gt;());
/// var manager = CheckpointManager.CreateJson(store);
/// await using var run = await InProcessExecution.RunStreamingAsync(workflow, input, manager, sessionId);
/// </code>
/// </example>
public sealed class ValkeyCheckpointStore : JsonCheckpointStore
{
    private readonly WorkflowCheckpoints _checkpoints;
    private readonly RunLease? _lease;

    // The last checkpoint committed by this store: the parent of the next one, so naming it costs no round trip.
    private (string Id, JsonElement Value)? _lastCommitted;

    /// <summary>Creates a store for sessions of their own, outside any run.</summary>
    /// <param name="checkpoints">The Valkey checkpoints (from <c>AddAgentState</c>).</param>
    public ValkeyCheckpointStore(WorkflowCheckpoints checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        _checkpoints = checkpoints;
    }

    /// <summary>Creates a store for the run held by <paramref name="lease"/>: its session id is the run id.</summary>
    /// <param name="checkpoints">The Valkey checkpoints (from <c>AddAgentState</c>).</param>
    /// <param name="lease">The lease every checkpoint is committed under.</param>
    public ValkeyCheckpointStore(WorkflowCheckpoints checkpoints, RunLease lease)
        : this(checkpoints)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _lease = lease;
        LastStep = lease.Checkpoint.CurrentStep;
    }

    /// <summary>The run's last committed step; with a lease, it grows with every checkpoint.</summary>
    public int LastStep { get; private set; }

    /// <summary>Adds to the step result of a committed checkpoint (for example the outputs so far); null for nothing.</summary>
    public Func<object?>? DescribeStep { get; init; }

    /// <summary>
    /// The workflow's start executor, which names the first superstep's step; later supersteps are named after the
    /// executors their parent checkpoint queued messages for. Without it (or for a layout not known here) a step is
    /// named <c>superstep-N</c>.
    /// </summary>
    public string? StartExecutorId { get; init; }

    /// <inheritdoc />
    public override async ValueTask<CheckpointInfo> CreateCheckpointAsync(string sessionId, JsonElement value, CheckpointInfo? parent = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var info = new CheckpointInfo(sessionId, Guid.NewGuid().ToString("N"));
        var json = value.GetRawText();
        WorkflowCheckpointResult result;
        if (_lease is null)
        {
            result = await _checkpoints.SaveAsync(sessionId, info.CheckpointId, parent?.CheckpointId, json).ConfigureAwait(false);
        }
        else
        {
            if (!string.Equals(sessionId, _lease.RunId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"This store holds the checkpoints of run '{_lease.RunId}', not of session '{sessionId}'.");
            }

            var superstep = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("stepNumber", out var number) && number.TryGetInt32(out var n) ? n : (int?)null;
            var previous = parent is null ? null : await CheckpointAsync(sessionId, parent.CheckpointId).ConfigureAwait(false);
            var name = SuperstepName.Of(previous, value, StartExecutorId)
                ?? (superstep is null or < 0 ? "start" : $"superstep-{superstep}");
            var summary = new { checkpointId = info.CheckpointId, parentId = parent?.CheckpointId, superstep, details = DescribeStep?.Invoke() };
            var details = new { checkpointId = info.CheckpointId, parentId = parent?.CheckpointId, superstep, bytes = json.Length };
            result = await _checkpoints.CommitAsync(_lease, info.CheckpointId, parent?.CheckpointId, json, new WorkflowStep(
                name, JsonSerializer.Serialize(summary), JsonSerializer.Serialize(details))).ConfigureAwait(false);
            if (result.Outcome == WorkflowCheckpointOutcome.Committed)
            {
                LastStep = result.Step;
                _lastCommitted = (info.CheckpointId, value.Clone());
            }
        }

        return result.Outcome is WorkflowCheckpointOutcome.Saved or WorkflowCheckpointOutcome.Committed
            ? info
            : throw new CheckpointRefusedException(sessionId, result.Outcome);
    }

    // The parent of a new checkpoint: the one this store committed last, or (on resume and after a fork) the one in Valkey.
    private async ValueTask<JsonElement?> CheckpointAsync(string sessionId, string checkpointId)
    {
        if (_lastCommitted is { } last && last.Id == checkpointId)
        {
            return last.Value;
        }

        var json = await _checkpoints.LoadAsync(sessionId, checkpointId).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <inheritdoc />
    public override async ValueTask<JsonElement> RetrieveCheckpointAsync(string sessionId, CheckpointInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var json = await _checkpoints.LoadAsync(sessionId, key.CheckpointId).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Checkpoint '{key.CheckpointId}' of '{sessionId}' is not in Valkey (never saved, deleted or expired).");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <inheritdoc />
    public override async ValueTask<IEnumerable<CheckpointInfo>> RetrieveIndexAsync(string sessionId, CheckpointInfo? withParent = null)
    {
        var entries = await _checkpoints.ListAsync(sessionId).ConfigureAwait(false);
        return entries
            .Where(entry => withParent is null || entry.ParentId == withParent.CheckpointId)
            .Select(entry => new CheckpointInfo(sessionId, entry.CheckpointId))
            .ToArray();
    }
}
