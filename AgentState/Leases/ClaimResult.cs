namespace AgentAspire.AgentState.Leases;

/// <summary>How a claim went.</summary>
public enum ClaimOutcome
{
    /// <summary>The caller holds the lease; <see cref="ClaimResult.Lease"/> is set.</summary>
    Claimed,
    /// <summary>Another worker holds the lease; the entry stays pending and is retried later.</summary>
    Busy,
    /// <summary>The run ended, waits for a person, or no longer exists; the entry was acknowledged.</summary>
    NothingToDo,
    /// <summary>
    /// The run's deliveries kept ending without a commit past <see cref="AgentStateOptions.MaxDeliveries"/>: the claim
    /// failed it, holding its lease, and moved the entry to the dead letters.
    /// </summary>
    Failed,
}

/// <summary>The answer to a claim.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Status">The run's status as the claim found it (empty when the run does not exist).</param>
/// <param name="Lease">The held run, when claimed.</param>
public sealed record ClaimResult(ClaimOutcome Outcome, string Status, RunLease? Lease = null);
