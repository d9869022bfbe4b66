using AgentAspire.AgentState.Checkpoints;

namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// Whether what a run page shows around its activity table (the checkpoint's facts, the step timeline, the waterfall)
/// changed, so the page renders again only when it did: most log entries change none of it, and a page re-rendered
/// per entry costs every open page of the run a render and a diff.
/// </summary>
public static class RunPageChanges
{
    /// <summary>Whether two checkpoints of a run hold the same values, collections included.</summary>
    public static bool SameRun(RunCheckpoint? a, RunCheckpoint? b)
    {
        if (a is null || b is null)
        {
            return ReferenceEquals(a, b);
        }

        // A record compares its collections by reference: compare them by content, the rest by the record's equality.
        return a with { Steps = b.Steps, Approvals = b.Approvals, StepUsage = b.StepUsage, JournalCounts = b.JournalCounts } == b
            && a.Steps.SequenceEqual(b.Steps)
            && a.Approvals.SequenceEqual(b.Approvals)
            && SameDictionary(a.StepUsage, b.StepUsage)
            && SameDictionary(a.JournalCounts, b.JournalCounts);
    }

    /// <summary>Whether two step timelines are the same.</summary>
    public static bool SameSteps(IReadOnlyList<StepView> a, IReadOnlyList<StepView> b) => a.SequenceEqual(b);

    /// <summary>Whether two waterfalls draw the same bars.</summary>
    public static bool SameWaterfall(RunWaterfall a, RunWaterfall b) =>
        a.Span == b.Span && a.Omitted == b.Omitted && a.Bars.SequenceEqual(b.Bars);

    private static bool SameDictionary<TValue>(IReadOnlyDictionary<int, TValue> a, IReadOnlyDictionary<int, TValue> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && EqualityComparer<TValue>.Default.Equals(pair.Value, other));
}
