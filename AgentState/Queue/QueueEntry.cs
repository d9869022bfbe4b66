namespace AgentAspire.AgentState.Queue;

/// <summary>One delivery of a run from a shard of the work queue <c>agent:runs:{qN}</c>.</summary>
/// <param name="EntryId">The stream entry id, to acknowledge.</param>
/// <param name="RunId">The run to execute.</param>
/// <param name="TraceParent">W3C trace context of the request that queued it.</param>
/// <param name="Deliveries">How many times the entry was delivered, this time included.</param>
/// <param name="Shard">The queue shard whose stream holds the entry.</param>
public sealed record QueueEntry(string EntryId, string RunId, string? TraceParent, int Deliveries, int Shard);
