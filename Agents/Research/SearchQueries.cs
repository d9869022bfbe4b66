using System.Text.RegularExpressions;
using AgentAspire.Agents.Text;

namespace AgentAspire.Agents.Research;

/// <summary>Derives 1 to 3 search queries from a question, deterministically, from its keywords.</summary>
internal static partial class SearchQueries
{
    private const int MaxQueries = 3;
    private const int KeywordsPerQuery = 3;
    private const int MaxFallbackLength = 200;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The question's distinct keywords in order, three to a query; the question itself when it has none.</summary>
    public static IReadOnlyList<string> From(string question)
    {
        var keywords = Words.DistinctKeywords(question).Take(MaxQueries * KeywordsPerQuery).ToArray();
        if (keywords.Length == 0)
        {
            var oneLine = OneLine(question);
            return [oneLine.Length > MaxFallbackLength ? oneLine[..MaxFallbackLength] : oneLine];
        }

        return keywords.Chunk(KeywordsPerQuery).Select(chunk => string.Join(' ', chunk)).ToArray();
    }

    /// <summary>The text with every run of whitespace, line breaks included, collapsed to one space.</summary>
    public static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();
}
