using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Replays;

namespace AgentAspire.AgentState.Runs;

/// <summary>What it takes to create a run.</summary>
/// <param name="RunId">A valid run id (<see cref="RunIds"/>).</param>
/// <param name="Agent">The agent to run.</param>
/// <param name="InputJson">The input, as JSON; the agent has validated it.</param>
/// <param name="RequestHash">Identifies the request, so a repeated idempotent start with the same body gets the same run.</param>
/// <param name="TraceParent">W3C trace context of the request.</param>
public sealed record NewRun(string RunId, string Agent, string InputJson, string RequestHash, string? TraceParent = null)
{
    /// <summary>Steps already done, kept by a fork; the run starts after the last of them.</summary>
    public IReadOnlyList<StepCheckpoint> CarriedSteps { get; init; } = [];

    /// <summary>The run this one was forked from.</summary>
    public string? ForkedFrom { get; init; }

    /// <summary>The run's own budget; null for its agent's default.</summary>
    public RunBudget? Budget { get; init; }

    /// <summary>The run this one replays, and how; null for a run of its own.</summary>
    public RunReplay? Replay { get; init; }

    /// <summary>Decisions a person gave the run this one replays, given again (a replay asks no one).</summary>
    public IReadOnlyList<ApprovalCheckpoint> CarriedApprovals { get; init; } = [];
}
