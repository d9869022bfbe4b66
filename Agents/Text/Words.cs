using System.Text.RegularExpressions;

namespace AgentAspire.Agents.Text;

/// <summary>Splits text into words and sentences the same way for search, statistics and the offline model.</summary>
internal static partial class Words
{
    // Letters and digits, keeping inner apostrophes and hyphens so "don't" and "write-ahead" stay one word.
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")]
    private static partial Regex WordPattern();

    // A sentence ends at . ! or ? followed by whitespace, or at a line break.
    [GeneratedRegex(@"(?<=[.!?])\s+|\s*\n+\s*")]
    private static partial Regex SentenceBreak();

    /// <summary>Every word of the text as written.</summary>
    public static IEnumerable<string> Split(string text)
    {
        foreach (Match match in WordPattern().Matches(text))
        {
            yield return match.Value;
        }
    }

    /// <summary>The lowercase words of the text that are not stop words, in order, repeats kept.</summary>
    public static IEnumerable<string> Keywords(string text) =>
        Split(text)
            .Select(word => word.ToLowerInvariant())
            .Where(word => !StopWords.Contains(word) && !IsNumber(word));

    /// <summary>Keywords reduced to a common form so "streams" matches "stream".</summary>
    public static IEnumerable<string> Terms(string text) => Keywords(text).Select(Stem);

    /// <summary>The distinct keywords of the text in order of first appearance.</summary>
    public static IReadOnlyList<string> DistinctKeywords(string text) => Keywords(text).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The text's sentences, trimmed, empty ones dropped.</summary>
    public static IReadOnlyList<string> Sentences(string text) =>
        SentenceBreak().Split(text).Select(sentence => sentence.Trim()).Where(sentence => sentence.Length > 0).ToArray();

    /// <summary>A light plural stemmer: enough for "streams"/"stream" and "entries"/"entry", predictable otherwise.</summary>
    public static string Stem(string word)
    {
        if (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal))
        {
            return string.Concat(word.AsSpan(0, word.Length - 3), "y");
        }

        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    private static bool IsNumber(string word) => word.All(char.IsDigit);
}
