using AgentAspire.AgentState.Journal;

namespace AgentAspire.AgentState.Runs;

/// <summary>One run in a listing.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Agent">The agent that runs it.</param>
/// <param name="Status">The run's status.</param>
/// <param name="CurrentStep">The last committed step.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="UpdatedAt">When the run last changed.</param>
/// <param name="Error">Why the run failed, if it did.</param>
/// <param name="InputSummary">What the run was asked, in one short line (<see cref="Runs.InputSummary"/>); null for no input.</param>
public sealed record RunSummary(
    string RunId, string Agent, string Status, int CurrentStep, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, string? Error, string? InputSummary = null)
{
    /// <summary>What the run's model calls used so far.</summary>
    public ModelUsage Usage { get; init; }

    /// <summary>The run this one replays; null for a run of its own.</summary>
    public string? ReplayOf { get; init; }
}
