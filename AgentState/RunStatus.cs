namespace AgentAspire.AgentState;

/// <summary>The values of a run's <c>status</c> field.</summary>
public static class RunStatus
{
    /// <summary>Waiting in the queue for a worker.</summary>
    public const string Queued = "queued";

    /// <summary>A worker holds the lease and runs its steps.</summary>
    public const string InProgress = "in_progress";

    /// <summary>Stopped until a person approves or rejects a step.</summary>
    public const string Waiting = "waiting";

    /// <summary>Every step is committed.</summary>
    public const string Complete = "complete";

    /// <summary>A step failed past its retries, or the run exhausted its deliveries.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled by a person.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A replay in <c>recorded</c> mode stopped at the first call its run's record could not answer: the agent's code changed there.</summary>
    public const string Diverged = "diverged";

    /// <summary>Every status, in the order of a run's life.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, InProgress, Waiting, Complete, Failed, Cancelled, Diverged];

    /// <summary>Returns whether <paramref name="status"/> is one of <see cref="All"/>.</summary>
    public static bool IsValid(string? status) => status is not null && All.Contains(status);

    /// <summary>Returns whether a run in <paramref name="status"/> has ended and no worker will touch it again by itself.</summary>
    public static bool IsFinal(string? status) => status is Complete or Failed or Cancelled or Diverged;
}
