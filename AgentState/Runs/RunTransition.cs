namespace AgentAspire.AgentState.Runs;

/// <summary>A conditional status change of a run, applied atomically by the transition script.</summary>
/// <param name="RunId">The run.</param>
/// <param name="AllowedFrom">The statuses the run may be in for the change to apply.</param>
/// <param name="To">The new status.</param>
/// <param name="Action">The activity-log action that records the change.</param>
/// <param name="DetailsJson">The activity-log details, as JSON.</param>
public sealed record RunTransition(string RunId, IReadOnlyList<string> AllowedFrom, string To, string Action, string DetailsJson = "{}")
{
    /// <summary>Lease rule: <see cref="AnyLease"/>, <see cref="FreeLease"/>, or the owner token that must hold the lease.</summary>
    public string Lease { get; init; } = AnyLease;

    /// <summary>Whether to delete the lease with the change.</summary>
    public bool ReleaseLease { get; init; }

    /// <summary>Fields to set with the change.</summary>
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();

    /// <summary>Fields to delete with the change.</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    /// <summary>The worker that makes the change, for the log; empty for the API.</summary>
    public string Worker { get; init; } = "";

    /// <summary>Lease rule: whoever holds the lease, if anyone.</summary>
    public const string AnyLease = "any";

    /// <summary>Lease rule: only while nobody holds the lease.</summary>
    public const string FreeLease = "free";
}
