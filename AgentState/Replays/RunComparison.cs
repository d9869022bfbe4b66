using System.Text.Json;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Json;

namespace AgentAspire.AgentState.Replays;

/// <summary>Two runs side by side, step by step: <c>GET /runs/{a}/compare/{b}</c>.</summary>
/// <param name="RunA">The first run, for a replay the original.</param>
/// <param name="RunB">The second run, for a replay the replay.</param>
/// <param name="Outcome">What the second run came to next to the first: one of <see cref="ReplayOutcomes"/>.</param>
/// <param name="Steps">Every step either run committed, in order.</param>
/// <param name="FirstDivergence">Where the second run first left the first: the call its record could not answer, or the first step whose result differs; null when none.</param>
/// <param name="A">The first run's status, usage and duration.</param>
/// <param name="B">The second run's.</param>
public sealed record RunComparison(
    string RunA, string RunB, string Outcome, IReadOnlyList<StepComparison> Steps, Divergence? FirstDivergence, RunSide A, RunSide B);

/// <summary>One step of two runs side by side.</summary>
/// <param name="Step">The step's number.</param>
/// <param name="Name">The step's name (the second run's when they differ).</param>
/// <param name="Equal">Whether both runs committed it with equal results.</param>
/// <param name="Differences">Where the results differ (at most <see cref="JsonDiff.MaxDifferences"/>); a step only one run committed is one difference at <c>$</c>.</param>
/// <param name="DurationMsA">How long the step took in the first run.</param>
/// <param name="DurationMsB">How long it took in the second.</param>
/// <param name="UsageA">What its model calls used in the first run.</param>
/// <param name="UsageB">What they used in the second (answers from a record cost nothing).</param>
public sealed record StepComparison(
    int Step, string Name, bool Equal, IReadOnlyList<JsonDifference> Differences, double? DurationMsA, double? DurationMsB, ModelUsage UsageA, ModelUsage UsageB);

/// <summary>One run of a comparison: its status, what it used, how long it took.</summary>
/// <param name="Status">The run's status.</param>
/// <param name="Usage">What its model calls used.</param>
/// <param name="DurationMs">From its first log entry to its last.</param>
public sealed record RunSide(string Status, ModelUsage Usage, double? DurationMs);

/// <summary>Where a run left the one it is compared with.</summary>
/// <param name="Step">The step.</param>
/// <param name="Turn">The call within the step, when a call could not be answered; null when only the step's result differs.</param>
/// <param name="Recorded">The request the first run made there, summarized.</param>
/// <param name="Requested">The request the second run made, summarized.</param>
public sealed record Divergence(int Step, int? Turn, JsonElement? Recorded, JsonElement? Requested);
