namespace AgentAspire.AgentState;

/// <summary>
/// Every Valkey key and channel of the product. Braces are a Valkey Cluster hash tag: all keys of one run share
/// the slot of <c>{RUNID}</c>, so one script can change them atomically; cache entries spread by their hash.
/// </summary>
public static class AgentKeys
{
    /// <summary>The work queue stream.</summary>
    public const string RunQueue = "agent:runs";

    /// <summary>The consumer group of the workers on <see cref="RunQueue"/>.</summary>
    public const string WorkerGroup = "workers";

    /// <summary>Runs that exhausted their deliveries.</summary>
    public const string DeadLetters = "agent:runs:dead";

    /// <summary>ZSET of every run id scored by its last update (unix seconds).</summary>
    public const string RunIndex = "agent:index";

    /// <summary>Pub/sub channel published after a run is queued; wakes idle workers.</summary>
    public const string RunQueuedChannel = "agent:runs:wake";

    /// <summary>Pub/sub channel published with the run id after every entry appended to a run's log.</summary>
    public const string LogAppendedChannel = "agent:log:appended";

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

    /// <summary>ZSET of the runs in one status, scored by their last update.</summary>
    public static string RunIndexByStatus(string status) => $"{RunIndex}:status:{status}";

    /// <summary>ZSET of the runs of one agent, scored by their last update.</summary>
    public static string RunIndexByAgent(string agent) => $"{RunIndex}:agent:{agent}";

    /// <summary>A cached tool result: <c>tool:cache:TOOL:{SHA256}</c>.</summary>
    public static string ToolCache(string tool, string argumentsHash) => $"tool:cache:{tool}:{{{argumentsHash}}}";

    /// <summary>The stampede lock of a tool result being computed: <c>tool:lock:TOOL:{SHA256}</c>.</summary>
    public static string ToolLock(string tool, string argumentsHash) => $"tool:lock:{tool}:{{{argumentsHash}}}";

    private static string Checked(string runId)
    {
        RunIds.ThrowIfInvalid(runId);
        return runId;
    }
}
