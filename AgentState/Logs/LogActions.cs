namespace AgentAspire.AgentState.Logs;

/// <summary>
/// The <c>action</c> of every activity-log entry, with the record its <c>details</c> hold (see <see cref="LogDetailsJson"/>).
/// A committed step is logged under its own step name, with <see cref="StepCommittedDetails"/>.
/// </summary>
public static class LogActions
{
    /// <summary>The run was created and queued; <see cref="QueuedDetails"/>.</summary>
    public const string Queued = "queued";

    /// <summary>A worker claimed the run before its first step; <see cref="ClaimedDetails"/>.</summary>
    public const string Started = "started";

    /// <summary>A worker claimed the run after an earlier claim ended (crash, shutdown, approval, resume); <see cref="ClaimedDetails"/>.</summary>
    public const string Resumed = "resumed";

    /// <summary>A step called a tool, or got its result from the cache; <see cref="ToolCallDetails"/>.</summary>
    public const string ToolCall = "tool_call";

    /// <summary>A step called a model, or its journal answered the call; <see cref="ModelCallDetails"/>.</summary>
    public const string ModelCall = "model_call";

    /// <summary>A resumed step made a call its journal recorded differently: the code is not deterministic; <see cref="JournalMismatchDetails"/>.</summary>
    public const string JournalMismatch = "journal_mismatch";

    /// <summary>A replay met a call its run's record could not answer and stopped; <see cref="DivergedDetails"/>.</summary>
    public const string Diverged = "diverged";

    /// <summary>A step failed and is tried again; <see cref="StepRetryDetails"/>.</summary>
    public const string StepRetry = "step_retry";

    /// <summary>A worker shutting down handed the run back to the queue; <see cref="ReleasedDetails"/>.</summary>
    public const string Released = "released";

    /// <summary>A step asked for a person's approval and the run waits; <see cref="WaitingDetails"/>.</summary>
    public const string Waiting = "waiting";

    /// <summary>A person approved the step a run waited on; <see cref="DecisionDetails"/>.</summary>
    public const string Approved = "approved";

    /// <summary>A person rejected the step a run waited on; <see cref="DecisionDetails"/>.</summary>
    public const string Rejected = "rejected";

    /// <summary>Every step is committed; <see cref="CompleteDetails"/>.</summary>
    public const string Complete = "complete";

    /// <summary>The run failed: a step past its retries, or the run past its deliveries; <see cref="FailedDetails"/>.</summary>
    public const string Failed = "failed";

    /// <summary>A person cancelled (or deleted) the run; <see cref="CancelledDetails"/>.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A person queued a failed or cancelled run again; its details are an empty object.</summary>
    public const string ResumedByRequest = "resumed_by_request";

    /// <summary>Every action above; any other action is the name of a committed step.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Queued, Started, Resumed, ToolCall, ModelCall, JournalMismatch, Diverged, StepRetry, Released, Waiting, Approved, Rejected, Complete, Failed, Cancelled, ResumedByRequest];
}
