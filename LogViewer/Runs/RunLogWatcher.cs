using System.Globalization;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.LogViewer.Components.Runs;

namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// One page's interest in one run's live log. The feed hands it pages of entries; it passes on only those after the
/// last one it passed on, so a watcher that leaves and comes back (its circuit lost its connection for a while) gets
/// what it missed and nothing twice.
/// </summary>
/// <param name="runId">The run watched.</param>
/// <param name="onEntries">Called with new entries, in order, on the feed's thread, under its lock: keep it short (queue and return).</param>
/// <param name="onRun">
/// Called with the run's checkpoint as the feed read it after new entries (one read per run for every page), on the
/// feed's thread, under its lock.
/// </param>
public sealed class RunLogWatcher(string runId, Action<IReadOnlyList<RunLogEntry>> onEntries, Action<RunCheckpoint> onRun)
{
    private (ulong Milliseconds, ulong Sequence) _last;

    /// <summary>The run watched.</summary>
    public string RunId { get; } = runId;

    internal void Deliver(RunCheckpoint run) => onRun(run);

    internal void Deliver(IReadOnlyList<RunLogEntry> entries)
    {
        var firstNew = 0;
        while (firstNew < entries.Count && Parse(entries[firstNew].Entry.Id).CompareTo(_last) <= 0)
        {
            firstNew++;
        }

        if (firstNew == entries.Count)
        {
            return;
        }

        // The feed hands on pages it never changes afterwards, so a whole page is passed on as it is.
        IReadOnlyList<RunLogEntry> fresh = firstNew == 0 ? entries : [.. entries.Skip(firstNew)];
        _last = Parse(fresh[^1].Entry.Id);
        onEntries(fresh);
    }

    // A stream id is "milliseconds-sequence"; the feed only hands on ids Valkey made.
    private static (ulong, ulong) Parse(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return (ulong.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), ulong.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }
}
