using System.Globalization;
using AgentAspire.AgentState.Json;
using AgentAspire.AgentState.Logs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Components.Runs;

/// <summary>
/// A log entry together with the run it belongs to (the live tail mixes runs), and the texts its row shows. A run's
/// live feed makes one per entry and hands the same one to every page watching the run, so those texts are made once
/// per entry, not once per page, and every page's row holds the same strings.
/// </summary>
/// <param name="runId">The run the entry belongs to.</param>
/// <param name="entry">The entry; it never changes.</param>
public sealed class RunLogEntry(string runId, LogEntry entry)
{
    private string? _time;
    private string? _cssClass;
    private string? _line;
    private IReadOnlyList<string>? _jsonTokens;

    /// <summary>The run the entry belongs to.</summary>
    public string RunId { get; } = runId;

    /// <summary>The entry.</summary>
    public LogEntry Entry { get; } = entry;

    /// <summary>When it was written, <c>HH:mm:ss.fff</c>, or a dash.</summary>
    public string Time => _time ??= Entry.Timestamp?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>The row's classes: <c>log-entry</c> and the action, made safe for CSS.</summary>
    public string CssClass => _cssClass ??= "log-entry action-" + new string([.. Entry.Action.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').Take(40)]);

    /// <summary>The details as one short line (<see cref="LogEntryLine.Of"/>).</summary>
    public string Line => _line ??= LogEntryLine.Of(Entry);

    /// <summary>The details as readable JSON cut where a long line may wrap; none when there is nothing to unfold.</summary>
    public IReadOnlyList<string> JsonTokens => _jsonTokens ??= StoredJson.Readable(Entry.DetailsJson) is { } json && json is not ("{}" or "") ? JsonText.Tokens(json) : [];
}
