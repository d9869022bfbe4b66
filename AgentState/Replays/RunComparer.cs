using System.Text.Json;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Json;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.AgentState.Replays;

/// <summary>
/// Compares two runs by reading them: step results side by side with a structural diff, the first divergence, and
/// tokens, cost and duration of each. Nothing is written.
/// </summary>
public sealed class RunComparer(RunStore store, ActivityLog log)
{
    /// <summary>The comparison, or null when either run does not exist.</summary>
    public async Task<RunComparison?> CompareAsync(string runA, string runB)
    {
        var (a, b) = (store.GetAsync(runA), store.GetAsync(runB));
        var (logA, logB) = (ReadLogAsync(runA), ReadLogAsync(runB));
        await Task.WhenAll(a, b, logA, logB).ConfigureAwait(false);
        return a.Result is null || b.Result is null ? null : Compare(a.Result, b.Result, logA.Result, logB.Result);
    }

    /// <summary>Whether a run exists, to say which of two is missing; one <c>EXISTS</c>, not a read of the run.</summary>
    public Task<bool> ExistsAsync(string runId) => store.ExistsAsync(runId);

    /// <summary>What <paramref name="b"/> came to next to <paramref name="a"/>: one of <see cref="ReplayOutcomes"/>.</summary>
    public static string OutcomeOf(RunCheckpoint a, RunCheckpoint b) => b.Status switch
    {
        RunStatus.Diverged => ReplayOutcomes.Diverged,
        RunStatus.Failed or RunStatus.Cancelled => ReplayOutcomes.Failed,
        RunStatus.Complete => a.Steps.Count == b.Steps.Count && a.Steps.Zip(b.Steps).All(pair => ResultsEqual(pair.First, pair.Second))
            ? ReplayOutcomes.Identical
            : ReplayOutcomes.Differs,
        _ => ReplayOutcomes.Pending,
    };

    /// <summary>Compares two runs already read.</summary>
    public static RunComparison Compare(RunCheckpoint a, RunCheckpoint b, IReadOnlyList<LogEntry> logA, IReadOnlyList<LogEntry> logB)
    {
        var (durationsA, durationsB) = (StepDurations(logA), StepDurations(logB));
        var numbers = a.Steps.Select(step => step.Step).Union(b.Steps.Select(step => step.Step)).Order();
        var steps = numbers.Select(number =>
        {
            var (first, second) = (a.Steps.FirstOrDefault(step => step.Step == number), b.Steps.FirstOrDefault(step => step.Step == number));
            var differences = first is null || second is null
                ? [new JsonDifference("$", Result(first), Result(second))]
                : JsonDiff.Between(Result(first)!.Value, Result(second)!.Value);
            return new StepComparison(
                number, second?.Name ?? first!.Name, differences.Count == 0, differences,
                durationsA.GetValueOrDefault(number), durationsB.GetValueOrDefault(number),
                a.StepUsage.GetValueOrDefault(number), b.StepUsage.GetValueOrDefault(number));
        }).ToList();

        var diverged = logB.LastOrDefault(entry => entry.Action == LogActions.Diverged) is { } entry
            && LogDetailsJson.TryRead<DivergedDetails>(entry, out var details)
            ? new Divergence(details.Step, details.Turn, details.Recorded, details.Requested)
            : steps.FirstOrDefault(step => !step.Equal) is { } differing ? new Divergence(differing.Step, null, null, null) : null;

        return new RunComparison(a.RunId, b.RunId, OutcomeOf(a, b), steps, diverged, Side(a, logA), Side(b, logB));
    }

    private async Task<IReadOnlyList<LogEntry>> ReadLogAsync(string runId)
    {
        var entries = new List<LogEntry>();
        await foreach (var entry in log.ReadAllAsync(runId).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static bool ResultsEqual(StepCheckpoint a, StepCheckpoint b) =>
        a.Name == b.Name && JsonDiff.Between(Result(a)!.Value, Result(b)!.Value).Count == 0;

    private static JsonElement? Result(StepCheckpoint? step) =>
        step is null ? null : StoredJson.ToElement(step.ResultJson);

    private static RunSide Side(RunCheckpoint run, IReadOnlyList<LogEntry> log) =>
        new(run.Status, run.Usage,
            log.Count > 1 && log[0].Timestamp is { } first && log[^1].Timestamp is { } last ? (last - first).TotalMilliseconds : null);

    // A step's commit entry is named after the step and carries its number and duration (StepCommittedDetails).
    private static Dictionary<int, double> StepDurations(IReadOnlyList<LogEntry> log)
    {
        var durations = new Dictionary<int, double>();
        foreach (var entry in log.Where(entry => !LogActions.All.Contains(entry.Action)))
        {
            using var details = JsonDocument.Parse(entry.DetailsJson);
            if (details.RootElement.ValueKind == JsonValueKind.Object && details.RootElement.TryGetProperty("durationMs", out var duration) && duration.TryGetDouble(out var ms))
            {
                durations[entry.Step] = ms;
            }
        }

        return durations;
    }
}
