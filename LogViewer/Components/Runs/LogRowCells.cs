using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using AgentAspire.AgentState.Json;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Components.Runs;

/// <summary>
/// The cells of a log row as one piece of HTML: time, run (on pages that mix runs), step, action and details, the
/// details as a short readable line with the JSON one click away. A row is one element and one markup frame instead
/// of a component of some twenty frames, so a page holds a small render tree and the browser applies a small batch
/// per new entry. Every text is HTML-encoded here: nothing of an entry reaches the page as markup.
/// </summary>
public static class LogRowCells
{
    // Encodes what HTML needs (and the characters HtmlEncoder always encodes), not every non-ASCII letter.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The cells of <paramref name="row"/>, with a run column when <paramref name="showRun"/>.</summary>
    public static string Of(RunLogEntry row, bool showRun)
    {
        ArgumentNullException.ThrowIfNull(row);
        var entry = row.Entry;
        var html = new StringBuilder(256);
        html.Append("<td class=\"time\" title=\"").Append(Html.Encode(entry.Id)).Append("\">")
            .Append(Html.Encode(entry.Timestamp?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "—")).Append("</td>");
        if (showRun)
        {
            html.Append("<td class=\"run-id\"><a href=\"").Append(Html.Encode($"runs/{Uri.EscapeDataString(row.RunId)}")).Append("\">")
                .Append(Html.Encode(row.RunId)).Append("</a></td>");
        }

        html.Append("<td class=\"num\">").Append(entry.Step.ToString(CultureInfo.InvariantCulture)).Append("</td>")
            .Append("<td class=\"action\">").Append(Html.Encode(entry.Action));
        if (RunTimeline.IsCacheHit(entry))
        {
            html.Append(" <span class=\"cache-hit\">cache hit</span>");
        }

        html.Append("</td><td class=\"details\">");
        var line = LogEntryLine.Of(entry);
        if (StoredJson.Readable(entry.DetailsJson) is { } json && json is not ("{}" or ""))
        {
            // A long line may break after each comma and colon between tokens rather than inside a word.
            html.Append("<details><summary class=\"detail-line\">").Append(Html.Encode(line.Length > 0 ? line : "details")).Append("</summary><code>");
            foreach (var token in JsonText.Tokens(json))
            {
                html.Append(Html.Encode(token)).Append("<wbr>");
            }

            html.Append("</code></details>");
        }
        else
        {
            html.Append("<span class=\"detail-line\">").Append(Html.Encode(line)).Append("</span>");
        }

        return html.Append("</td>").ToString();
    }
}
