using System.Text;

namespace AgentAspire.LogViewer.Runs;

/// <summary>Compact JSON laid out on a page: the places a long line may wrap (its readable form is <c>StoredJson.Readable</c>).</summary>
public static class JsonText
{
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
