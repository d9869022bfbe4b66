using System.Text;
using System.Text.Json;
using AgentAspire.AgentState.Json;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// A short, single-line summary of a run's input, stored with the run so that a listing shows what each run was
/// asked without reading whole inputs: the <c>question</c> of an object that has a string one, a plain string input
/// itself, else the input as compact JSON; whitespace runs become one space and the text is cut to
/// <see cref="MaxLength"/> characters with an ellipsis. It is plain text: whoever shows it escapes it.
/// </summary>
public static class InputSummary
{
    /// <summary>The longest summary, in UTF-16 characters, the ellipsis included.</summary>
    public const int MaxLength = 80;

    private const string QuestionProperty = "question";
    private const char Ellipsis = '…';

    /// <summary>The summary of <paramref name="inputJson"/>; null for no input, JSON <c>null</c> or blank text.</summary>
    /// <example><code>InputSummary.Of("""{"question":"How do streams work?","depth":2}""") // "How do streams work?"</code></example>
    public static string? Of(string? inputJson)
    {
        if (string.IsNullOrWhiteSpace(inputJson))
        {
            return null;
        }

        string text;
        try
        {
            using var input = JsonDocument.Parse(inputJson);
            var root = input.RootElement;
            text = root.ValueKind switch
            {
                JsonValueKind.Null => "",
                JsonValueKind.String => root.GetString()!,
                JsonValueKind.Object when root.TryGetProperty(QuestionProperty, out var question) && question.ValueKind == JsonValueKind.String
                    => question.GetString()!,
                _ => StoredJson.Readable(root),
            };
        }
        catch (JsonException)
        {
            // Not JSON (a run written by another client): its text is still the best summary there is.
            text = inputJson;
        }

        return OneShortLine(text);
    }

    // Collapses whitespace and control characters to single spaces, reading no further than the summary needs.
    private static string? OneShortLine(string text)
    {
        var line = new StringBuilder(MaxLength + 1);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = line.Length > 0;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
            if (line.Length > MaxLength)
            {
                break;
            }
        }

        if (line.Length == 0)
        {
            return null;
        }

        if (line.Length <= MaxLength)
        {
            return line.ToString();
        }

        // Never cut a surrogate pair in two.
        var keep = MaxLength - 1;
        if (char.IsHighSurrogate(line[keep - 1]))
        {
            keep--;
        }

        return line.ToString(0, keep).TrimEnd() + Ellipsis;
    }
}
