using AgentAspire.AgentState.Logs;
using Microsoft.AspNetCore.Components;

namespace AgentAspire.LogViewer.Components.Runs;

/// <summary>
/// A log entry together with the run it belongs to (the live tail mixes runs), and the markup its row shows. A run's
/// live feed makes one per entry and hands the same one to every page watching the run, so a row's markup is made
/// once per entry, not once per page, and every page's row holds the same string.
/// </summary>
/// <param name="runId">The run the entry belongs to.</param>
/// <param name="entry">The entry; it never changes.</param>
public sealed class RunLogEntry(string runId, LogEntry entry)
{
    private string? _cssClass;
    private string? _cells;
    private string? _cellsWithRun;

    /// <summary>The run the entry belongs to.</summary>
    public string RunId { get; } = runId;

    /// <summary>The entry.</summary>
    public LogEntry Entry { get; } = entry;

    /// <summary>The row's classes: <c>log-entry</c> and the action, made safe for CSS.</summary>
    public string CssClass => _cssClass ??= "log-entry action-" + new string([.. Entry.Action.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').Take(40)]);

    /// <summary>The row's cells (<see cref="LogRowCells"/>), with a run column when <paramref name="showRun"/>.</summary>
    public MarkupString Cells(bool showRun) =>
        new(showRun ? _cellsWithRun ??= LogRowCells.Of(this, showRun: true) : _cells ??= LogRowCells.Of(this, showRun: false));
}
