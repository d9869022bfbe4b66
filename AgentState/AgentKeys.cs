namespace AgentAspire.AgentState;

/// <summary>
/// Every Valkey key and channel of the product. Braces are a Valkey Cluster hash tag: all keys of one run share
/// the slot of <c>{RUNID}</c>, so one script can change them atomically; cache entries spread by their hash.
/// </summary>
public static class AgentKeys
{
    /// <summary>The consumer group of the workers on every shard of the work queue.</summary>
    public const string WorkerGroup = "workers";

    /// <summary>Runs that exhausted their deliveries.</summary>
    public const string DeadLetters = "agent:runs:dead";

    /// <summary>
    /// How many shards the listing indexes are spread over. Fixed, so a run's index entries stay in one shard for its
    /// whole life whatever the configuration; on a cluster the shards' slots spread the index writes over the primaries.
    /// </summary>
    public const int RunIndexShards = 8;

    /// <summary>One shard of the work queue, a STREAM read by <see cref="WorkerGroup"/>: <c>agent:runs:{qN}</c>.</summary>
    public static string RunQueue(int shard) => $"agent:runs:{{q{CheckedShard(shard)}}}";

    /// <summary>
    /// Sharded pub/sub channel (<c>SPUBLISH</c>) of one queue shard, published with the run id after a run is queued
    /// there; it shares the shard's slot, so on a cluster only that shard's primary carries it.
    /// </summary>
    public static string RunQueuedChannel(int shard) => $"agent:runs:wake:{{q{CheckedShard(shard)}}}";

    /// <summary>One shard of the ZSET of every run id scored by its last update (unix seconds): <c>agent:index:{iN}</c>.</summary>
    public static string RunIndex(int shard) => $"agent:index:{{i{CheckedShard(shard)}}}";

    /// <summary>One shard of the ZSET of the runs in one status, scored by their last status change.</summary>
    public static string RunIndexByStatus(int shard, string status) => $"{RunIndex(shard)}:status:{status}";

    /// <summary>One shard of the ZSET of the runs of one agent, scored by their last status change.</summary>
    public static string RunIndexByAgent(int shard, string agent) => $"{RunIndex(shard)}:agent:{agent}";

    /// <summary>
    /// The shard (0 to <paramref name="shards"/> − 1) a run belongs to, from a stable hash of its id: the same in
    /// every process and every version, so writers and readers agree without asking Valkey.
    /// </summary>
    public static int ShardOf(string runId, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        // FNV-1a: string.GetHashCode is randomised per process.
        var hash = 2166136261u;
        foreach (var c in Checked(runId))
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }

    /// <summary>
    /// How many channels the log wake-ups are spread over. Fixed, like <see cref="RunIndexShards"/>: a run's wake-ups
    /// always go to the channel its id hashes to, whatever the configuration of the process that writes them.
    /// </summary>
    public const int LogAppendedShards = 8;

    /// <summary>
    /// Sharded pub/sub channel (<c>SPUBLISH</c>) published with the ids of runs whose logs grew, space-separated:
    /// <c>agent:log:appended:{lN}</c>. A run's wake-ups go to shard <c>ShardOf(runId, LogAppendedShards)</c>, so on a
    /// cluster each channel stays on the primary of its slot instead of being copied to every node.
    /// </summary>
    public static string LogAppendedChannel(int shard) => $"agent:log:appended:{{l{CheckedShard(shard)}}}";

    /// <summary>Pub/sub channel published with the run id when a run is cancelled, so its worker stops at once.</summary>
    public const string RunCancelledChannel = "agent:runs:cancelled";

    /// <summary>The checkpoint HASH of a run: <c>agent:state:{RUNID}</c>.</summary>
    public static string State(string runId) => $"agent:state:{{{Checked(runId)}}}";

    /// <summary>The activity log STREAM of a run: <c>agent:log:{RUNID}</c>.</summary>
    public static string Log(string runId) => $"agent:log:{{{Checked(runId)}}}";

    /// <summary>The lease STRING of a run: <c>agent:lease:{RUNID}</c>.</summary>
    public static string Lease(string runId) => $"agent:lease:{{{Checked(runId)}}}";

    /// <summary>The workflow checkpoints HASH of a run or session: <c>agent:workflow:{RUNID}</c>, checkpoint id → JSON.</summary>
    public static string WorkflowCheckpoints(string runId) => $"agent:workflow:{{{Checked(runId)}}}";

    /// <summary>The workflow checkpoint index LIST of a run or session, in commit order: <c>agent:workflow:index:{RUNID}</c>.</summary>
    public static string WorkflowCheckpointIndex(string runId) => $"agent:workflow:index:{{{Checked(runId)}}}";

    /// <summary>
    /// The call journal HASH of a run: <c>agent:calls:{RUNID}</c>, field <c>STEP:N</c> (the Nth recorded call of a step)
    /// → a <see cref="Journal.JournalEntry"/> as JSON: every model answer, loop tool result and decision the run acted on.
    /// </summary>
    public static string Calls(string runId) => $"agent:calls:{{{Checked(runId)}}}";

    /// <summary>A batch of replays started together (<c>POST /replays</c>), a HASH replayed run id → replay id: <c>agent:replays:{BATCHID}</c>.</summary>
    public static string ReplayBatch(string batchId) => $"agent:replays:{{{Checked(batchId)}}}";

    /// <summary>A cached tool result: <c>tool:cache:TOOL:{SHA256}</c>.</summary>
    public static string ToolCache(string tool, string argumentsHash) => $"tool:cache:{tool}:{{{argumentsHash}}}";

    /// <summary>The stampede lock of a tool result being computed: <c>tool:lock:TOOL:{SHA256}</c>.</summary>
    public static string ToolLock(string tool, string argumentsHash) => $"tool:lock:{tool}:{{{argumentsHash}}}";

    private static int CheckedShard(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return shard;
    }

    private static string Checked(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        return runId;
    }
}
