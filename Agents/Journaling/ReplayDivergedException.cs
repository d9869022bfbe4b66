using AgentAspire.AgentState.Logs;

namespace AgentAspire.Agents.Journaling;

/// <summary>
/// A replay in <c>recorded</c> mode made a call its record cannot answer: the agent's code changed there. The step's
/// runner ends the replay <c>diverged</c> with <see cref="Details"/>; it is the replay's result, not a failure to retry.
/// </summary>
public sealed class ReplayDivergedException(DivergedDetails details)
    : Exception($"The replay diverged from its record at step {details.Step}, call {details.Turn}.")
{
    /// <summary>Where, and both requests.</summary>
    public DivergedDetails Details { get; } = details;
}
