using System.Text.RegularExpressions;

namespace AgentAspire.Agents.Words;

/// <summary>The arguments of <c>top_words</c>: a text and how many words to return.</summary>
public sealed record TopWordsArgs(string Text, int Count);

/// <summary>The result of <c>top_words</c>: the most frequent words, most frequent first, and how many words the text has.</summary>
public sealed record TopWords(IReadOnlyList<string> Words, int WordCount);

/// <summary>Finds a text's most frequent words of four letters or more; the same text always gives the same answer.</summary>
public sealed partial class TopWordsTool : AgentTool<TopWordsArgs, TopWords>
{
    /// <inheritdoc />
    public override string Name => "top_words";

    /// <summary>An hour: results are cached in Valkey this long, so a resumed run does not count again.</summary>
    public override TimeSpan Ttl => TimeSpan.FromHours(1);

    /// <inheritdoc />
    protected override Task<TopWords> InvokeAsync(TopWordsArgs args, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var words = Word().Matches(args.Text.ToLowerInvariant()).Select(match => match.Value).ToArray();
        var top = words.Where(word => word.Length >= 4)
            .CountBy(word => word)
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(args.Count)
            .Select(pair => pair.Key)
            .ToArray();
        return Task.FromResult(new TopWords(top, words.Length));
    }

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
