namespace AgentAspire.AgentState.Replays;

/// <summary>What a replay (or any run compared with another) came to, next to the run it is compared with.</summary>
public static class ReplayOutcomes
{
    /// <summary>It completed with every step's result equal to the other run's.</summary>
    public const string Identical = "identical";

    /// <summary>It completed, but a step's result (or the number of steps) differs.</summary>
    public const string Differs = "differs";

    /// <summary>It stopped at a call its record could not answer.</summary>
    public const string Diverged = "diverged";

    /// <summary>It failed or was cancelled.</summary>
    public const string Failed = "failed";

    /// <summary>It has not ended yet.</summary>
    public const string Pending = "pending";
}
