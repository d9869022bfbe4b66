namespace AgentAspire.AgentState;

/// <summary>
/// Field names of the checkpoint HASH <c>agent:state:{RUNID}</c>. <c>current_step</c>, <c>status</c>,
/// <c>result_step_N</c> and <c>updated_at</c> are the names of the Valkey agent-state cookbook pattern (a published
/// recipe for agent checkpoints in Valkey), kept so that tools written for it read these runs.
/// </summary>
public static class CheckpointFields
{
    /// <summary>The number of the last committed step; 0 before the first.</summary>
    public const string CurrentStep = "current_step";
    /// <summary>One of <see cref="RunStatus"/>.</summary>
    public const string Status = "status";
    /// <summary>Unix seconds of the last change.</summary>
    public const string UpdatedAt = "updated_at";
    /// <summary>The agent that runs this run.</summary>
    public const string Agent = "agent";
    /// <summary>The run's input, as JSON.</summary>
    public const string Input = "input";
    /// <summary>A short, single-line summary of the input for listings (see <see cref="Runs.InputSummary"/>).</summary>
    public const string InputSummary = "input_summary";
    /// <summary>Unix seconds of the run's creation.</summary>
    public const string CreatedAt = "created_at";
    /// <summary>Fence token: bumped by every claim, so a worker that lost its lease cannot commit.</summary>
    public const string Fence = "fence";
    /// <summary>How many times the run was claimed.</summary>
    public const string Attempt = "attempt";
    /// <summary>Why the run failed.</summary>
    public const string Error = "error";
    /// <summary>W3C trace context of the request that started the run.</summary>
    public const string TraceParent = "traceparent";
    /// <summary>SHA-256 of the request that created the run, to answer a repeated idempotent start.</summary>
    public const string RequestHash = "request_hash";
    /// <summary>The run this one was forked from.</summary>
    public const string ForkedFrom = "forked_from";
    /// <summary>The run this one replays: its calls are answered from that run's journal.</summary>
    public const string ReplayOf = "replay_of";
    /// <summary>How a replay answers calls: <c>recorded</c> or <c>live-after</c> (see <see cref="Replays.ReplayModes"/>).</summary>
    public const string ReplayMode = "replay_mode";
    /// <summary>In <c>live-after</c> mode, the last step answered from the record.</summary>
    public const string ReplayLiveAfter = "replay_live_after";
    /// <summary>Input tokens of every model call the run paid for.</summary>
    public const string TokensIn = "tokens_in";
    /// <summary>Output tokens of every model call the run paid for.</summary>
    public const string TokensOut = "tokens_out";
    /// <summary>Input tokens the provider answered from its prompt cache, a part of <see cref="TokensIn"/>.</summary>
    public const string TokensCached = "tokens_cached";
    /// <summary>What the run's model calls cost, in millionths of the price table's currency (an integer, so sums stay exact).</summary>
    public const string Cost = "cost";
    /// <summary>How many model calls the run paid for.</summary>
    public const string ModelCalls = "model_calls";
    /// <summary>The most tokens (in and out) the run may spend before it waits for a person.</summary>
    public const string BudgetTokens = "budget_tokens";
    /// <summary>The most the run may cost, in millionths, before it waits for a person.</summary>
    public const string BudgetCost = "budget_cost";

    /// <summary>The JSON result of step <paramref name="step"/>.</summary>
    public static string Result(int step) => $"result_step_{step}";
    /// <summary>The name of step <paramref name="step"/>.</summary>
    public static string StepName(int step) => $"step_name_{step}";
    /// <summary>Unix seconds when step <paramref name="step"/> was committed.</summary>
    public static string StepAt(int step) => $"step_at_{step}";
    /// <summary>What step <paramref name="step"/> asked a person to approve.</summary>
    public static string ApprovalPrompt(int step) => $"approval_prompt_{step}";
    /// <summary>A person's decision on step <paramref name="step"/>, as JSON.</summary>
    public static string Approval(int step) => $"approval_{step}";
    /// <summary>How many calls of step <paramref name="step"/> are in the run's journal (<see cref="AgentKeys.Calls"/>).</summary>
    public static string JournalCount(int step) => $"journal_step_{step}";
    /// <summary>A run total (<see cref="TokensIn"/>, <see cref="Cost"/>, …) counted for step <paramref name="step"/> alone.</summary>
    public static string OfStep(string total, int step) => $"{total}_step_{step}";

    internal const string ResultPrefix = "result_step_";
    internal const string StepNamePrefix = "step_name_";
    internal const string StepAtPrefix = "step_at_";
    internal const string ApprovalPromptPrefix = "approval_prompt_";
    internal const string ApprovalPrefix = "approval_";
    internal const string JournalCountPrefix = "journal_step_";
    internal const string ModelCallsOfStepPrefix = "model_calls_step_";
}
