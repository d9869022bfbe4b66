using AgentAspire.AgentState.Journal;

namespace AgentAspire.LogViewer.Runs;

/// <summary>One step of a run as the timeline shows it.</summary>
/// <param name="Step">The 1-based step number.</param>
/// <param name="Name">The step's name.</param>
/// <param name="State">One of <see cref="StepStates"/>.</param>
/// <param name="Duration">From the step's start to its commit, from the log timestamps; <see langword="null"/> when unknown.</param>
/// <param name="ToolCalls">How many <c>tool_call</c> entries the step logged.</param>
/// <param name="CacheHits">How many of those were answered by the tool cache.</param>
/// <param name="ResultJson">The checkpointed result; <see langword="null"/> before the step is committed.</param>
public sealed record StepView(int Step, string Name, string State, TimeSpan? Duration, int ToolCalls, int CacheHits, string? ResultJson)
{
    /// <summary>What the step's model calls used, from the checkpoint; <see langword="null"/> for a step that called no model.</summary>
    public ModelUsage? Usage { get; init; }
}

/// <summary>The states a step can be shown in.</summary>
public static class StepStates
{
    public const string Done = "done";
    public const string Running = "running";
    public const string Waiting = "waiting";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Pending = "pending";
}
