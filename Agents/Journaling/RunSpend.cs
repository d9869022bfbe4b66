using AgentAspire.AgentState.Journal;

namespace AgentAspire.Agents.Journaling;

/// <summary>
/// What a run has spent on model calls and may spend, for one claim: the totals start from the claimed checkpoint and
/// follow every call the worker records, so a budget is checked without a round trip.
/// </summary>
/// <param name="total">The run's totals as claimed.</param>
/// <param name="budget">The run's budget: its own, or its agent's default.</param>
public sealed class RunSpend(ModelUsage total, RunBudget budget)
{
    /// <summary>Everything the run's model calls used so far, earlier attempts included.</summary>
    public ModelUsage Total { get; internal set; } = total;

    /// <summary>The most the run may spend before it waits for a person.</summary>
    public RunBudget Budget { get; } = budget;
}
