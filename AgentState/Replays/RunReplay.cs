namespace AgentAspire.AgentState.Replays;

/// <summary>What makes a run a replay: the run it replays and how its calls are answered.</summary>
/// <param name="Of">The run replayed.</param>
/// <param name="Mode">One of <see cref="ReplayModes"/>.</param>
/// <param name="LiveAfterStep">In <see cref="ReplayModes.LiveAfter"/> mode, the last step answered from the record.</param>
public sealed record RunReplay(string Of, string Mode, int LiveAfterStep = 0)
{
    /// <summary>Whether calls of <paramref name="step"/> are answered from the record.</summary>
    public bool AnswersFromRecord(int step) => Mode == ReplayModes.Recorded || step <= LiveAfterStep;

    /// <summary>Whether the first call the record cannot answer stops the replay (else the rest goes live).</summary>
    public bool StopsOnDivergence => Mode == ReplayModes.Recorded;
}
