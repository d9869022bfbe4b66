namespace AgentAspire.AgentState.Logs;

// The details of each log action, written and read with LogDetailsJson. The JSON names are these names in camelCase;
// claim.lua and commit.lua write ClaimedDetails and CompleteDetails themselves, in the same shape.

/// <summary>Details of <see cref="LogActions.Queued"/>.</summary>
/// <param name="Agent">The agent the run belongs to.</param>
/// <param name="ForkedFrom">The run this one was forked from; absent for a new run.</param>
/// <param name="ReplayOf">The run this one replays, for a replay.</param>
public sealed record QueuedDetails(string Agent, string? ForkedFrom = null, string? ReplayOf = null);

/// <summary>Details of <see cref="LogActions.Started"/> and <see cref="LogActions.Resumed"/>, written by the claim script.</summary>
/// <param name="Fence">The fence token of this claim; a worker with an older one can no longer write.</param>
/// <param name="NextStep">The step the worker runs next.</param>
public sealed record ClaimedDetails(long Fence, int NextStep);

/// <summary>Details of a committed step, logged under the step's name.</summary>
/// <param name="Step">The step's number.</param>
/// <param name="DurationMs">How long the step took, retries included.</param>
/// <param name="ToolCalls">How many tools it called.</param>
/// <param name="CacheHits">How many of those calls the cache answered.</param>
public sealed record StepCommittedDetails(int Step, double DurationMs, int ToolCalls, int CacheHits);

/// <summary>Details of <see cref="LogActions.ToolCall"/>.</summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="CacheHit">Whether the cache answered, so the tool did not run.</param>
/// <param name="Key">The cache key of the result.</param>
/// <param name="DurationMs">How long the call took, waiting for another caller included.</param>
/// <param name="LockTakenOver">Whether this caller took over the stampede lock of a holder that died.</param>
/// <param name="Replayed">Whether the run's journal answered the call (a resumed model loop), so neither cache nor tool was asked.</param>
/// <param name="Turn">The call's place in its step's journal, for calls a model loop made.</param>
/// <param name="Recorded">Whether the record of the run this one replays answered the call.</param>
/// <param name="Server">The MCP server that served the tool; absent for the app's own tools.</param>
public sealed record ToolCallDetails(string Tool, bool CacheHit, string Key, double DurationMs, bool LockTakenOver = false, bool Replayed = false, int? Turn = null, bool Recorded = false, string? Server = null);

/// <summary>Details of <see cref="LogActions.ModelCall"/>: one model turn and what it used.</summary>
/// <param name="Model">The model that answered.</param>
/// <param name="Turn">The call's place in its step's journal.</param>
/// <param name="InputTokens">Tokens sent.</param>
/// <param name="OutputTokens">Tokens answered.</param>
/// <param name="CachedInputTokens">Input tokens the provider answered from its prompt cache.</param>
/// <param name="Cost">What the call cost by the price table; 0 without a price.</param>
/// <param name="DurationMs">How long the model took; 0 for a replayed call.</param>
/// <param name="FinishReason">Why the model stopped: <c>stop</c>, <c>tool_calls</c>, <c>length</c>, …</param>
/// <param name="Replayed">Whether the run's journal answered the call: paid for by an earlier attempt, not again.</param>
/// <param name="ToolCalls">The tools the model asked for, by name.</param>
/// <param name="Recorded">
/// Whether the record of the run this one replays answered the call: nothing was paid, and the tokens are the
/// original call's, not counted in this run's totals.
/// </param>
public sealed record ModelCallDetails(
    string Model, int Turn, long InputTokens, long OutputTokens, long CachedInputTokens, decimal Cost, double DurationMs,
    string? FinishReason, bool Replayed, IReadOnlyList<string>? ToolCalls = null, bool Recorded = false);

/// <summary>Details of <see cref="LogActions.Diverged"/>: where a replay's code asked something its record does not hold.</summary>
/// <param name="Step">The step.</param>
/// <param name="Turn">The call's place among the step's recorded calls.</param>
/// <param name="Recorded">The request the original run made there, summarized; null when it made no call there.</param>
/// <param name="Requested">The request the replay made, summarized.</param>
public sealed record DivergedDetails(int Step, int Turn, System.Text.Json.JsonElement? Recorded, System.Text.Json.JsonElement Requested);

/// <summary>Details of <see cref="LogActions.JournalMismatch"/>.</summary>
/// <param name="Turn">The call's place in its step's journal.</param>
/// <param name="Recorded">What the journal holds there: its kind and name.</param>
/// <param name="Requested">What the step asked for this time.</param>
public sealed record JournalMismatchDetails(int Turn, string Recorded, string Requested);

/// <summary>Details of <see cref="LogActions.StepRetry"/>.</summary>
/// <param name="Retry">Which retry comes next: 1 for the first.</param>
/// <param name="Error">The error of the failed try: its type and message.</param>
public sealed record StepRetryDetails(int Retry, string Error);

/// <summary>Details of <see cref="LogActions.Released"/>.</summary>
/// <param name="Reason">Why the worker let go.</param>
public sealed record ReleasedDetails(string Reason);

/// <summary>Details of <see cref="LogActions.Waiting"/>.</summary>
/// <param name="Step">The step that waits.</param>
/// <param name="Prompt">What the person is asked to approve.</param>
public sealed record WaitingDetails(int Step, string Prompt);

/// <summary>Details of <see cref="LogActions.Approved"/> and <see cref="LogActions.Rejected"/>.</summary>
/// <param name="Step">The step decided on.</param>
/// <param name="Comment">What the person wrote along with the decision; absent when nothing.</param>
public sealed record DecisionDetails(int Step, string? Comment = null);

/// <summary>Details of <see cref="LogActions.Complete"/>, written by the commit script for the last step.</summary>
/// <param name="Status">Always <see cref="Done"/>.</param>
public sealed record CompleteDetails(string Status)
{
    /// <summary>The only status a complete entry holds.</summary>
    public const string Done = "done";
}

/// <summary>Details of <see cref="LogActions.Failed"/>.</summary>
/// <param name="Error">Why the run failed.</param>
public sealed record FailedDetails(string Error);

/// <summary>Details of <see cref="LogActions.Cancelled"/>.</summary>
/// <param name="Reason">Why the run was cancelled.</param>
public sealed record CancelledDetails(string Reason);
