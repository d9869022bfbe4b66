namespace AgentAspire.AgentState.Queue;

/// <summary>How much work waits in the queue, summed over its shards.</summary>
/// <param name="Depth">Entries in the streams (queued and in progress; acknowledged ones are deleted).</param>
/// <param name="Pending">Entries delivered to a worker and not yet acknowledged.</param>
/// <param name="DeadLetters">Entries in the dead-letter stream.</param>
public sealed record QueueStatistics(long Depth, long Pending, long DeadLetters);
