using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentAspire.LogViewer.Runs;

/// <summary>Compact JSON made readable on a page: markup escapes shown as the characters they stand for, line breaks between tokens.</summary>
public static class JsonText
{
    // The page encodes text itself; \u003C in the stored JSON is shown as '<', not as six characters.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON written again without escaping markup or non-ASCII characters; text that is not JSON as it is.</summary>
    public static string Unescape(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Readable);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>Splits the JSON after each <c>,</c> and <c>:</c> outside strings, where a long line may wrap.</summary>
    public static IReadOnlyList<string> Tokens(string json)
    {
        var pieces = new List<string>();
        var current = new StringBuilder();
        var inString = false;
        var escaped = false;
        foreach (var c in json)
        {
            current.Append(c);
            if (escaped)
            {
                escaped = false;
            }
            else if (inString)
            {
                (escaped, inString) = (c == '\\', c != '"');
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is ',' or ':')
            {
                pieces.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            pieces.Add(current.ToString());
        }

        return pieces;
    }
}
