namespace AgentAspire.AgentState.Replays;

/// <summary>How a replay answers the calls of the run it replays.</summary>
public static class ReplayModes
{
    /// <summary>Every call from the record; the first call it cannot answer stops the replay <c>diverged</c>.</summary>
    public const string Recorded = "recorded";

    /// <summary>Calls from the record up to a step (or the first divergence), live from there on.</summary>
    public const string LiveAfter = "live-after";

    /// <summary>Every mode.</summary>
    public static IReadOnlyList<string> All { get; } = [Recorded, LiveAfter];
}
