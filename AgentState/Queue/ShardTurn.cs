namespace AgentAspire.AgentState.Queue;

/// <summary>A shard to read now and how many wake-ups named it since its last read.</summary>
internal readonly record struct ShardTurn(int Shard, int Announced);
