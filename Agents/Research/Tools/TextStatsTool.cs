using AgentAspire.Agents.Text;

namespace AgentAspire.Agents.Research.Tools;

/// <summary>Measures a text: words, sentences, reading time and its most frequent keywords.</summary>
public sealed class TextStatsTool : AgentTool<TextStatsArgs, TextStats>
{
    /// <summary>The tool's name.</summary>
    public const string ToolName = "text_stats";

    /// <summary>The reading speed the reading time assumes.</summary>
    public const int WordsPerMinute = 200;

    private const int MaxTopKeywords = 50;

    /// <inheritdoc />
    public override string Name => ToolName;

    /// <inheritdoc />
    public override string Description => "Counts the words and sentences of a text and lists its top keywords.";

    /// <summary>One hour: the statistics of a text never change, but the cache should not keep every text for long.</summary>
    public override TimeSpan Ttl => TimeSpan.FromHours(1);

    /// <summary>Computes the statistics of a text.</summary>
    /// <param name="args">The text and how many keywords to return.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ToolArgumentException">The text is missing or the keyword count is outside 1 to 50.</exception>
    public static TextStats Measure(TextStatsArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Text is null)
        {
            throw new ToolArgumentException(ToolName, "text is required.");
        }

        if (args.TopKeywords is < 1 or > MaxTopKeywords)
        {
            throw new ToolArgumentException(ToolName, $"topKeywords must be between 1 and {MaxTopKeywords}, got {args.TopKeywords}.");
        }

        var words = Words.Split(args.Text).Select(word => word.ToLowerInvariant()).ToArray();
        var topKeywords = Words.Keywords(args.Text)
            .GroupBy(word => word, StringComparer.Ordinal)
            .Select(group => new KeywordCount(group.Key, group.Count()))
            .OrderByDescending(keyword => keyword.Count)
            .ThenBy(keyword => keyword.Word, StringComparer.Ordinal)
            .Take(args.TopKeywords)
            .ToArray();
        var readingTimeSeconds = (int)Math.Ceiling(words.Length * 60.0 / WordsPerMinute);
        return new TextStats(
            words.Length,
            words.Distinct(StringComparer.Ordinal).Count(),
            Words.Sentences(args.Text).Count,
            readingTimeSeconds,
            topKeywords);
    }

    /// <inheritdoc />
    protected override Task<TextStats> InvokeAsync(TextStatsArgs args, ToolInvocation invocation, CancellationToken cancellationToken) =>
        Task.FromResult(Measure(args));
}
