namespace AgentAspire.Agents.Research.Tools;

/// <summary>Statistics of a text computed by <c>text_stats</c>.</summary>
/// <param name="WordCount">Number of words.</param>
/// <param name="UniqueWordCount">Number of distinct words, ignoring case.</param>
/// <param name="SentenceCount">Number of sentences.</param>
/// <param name="ReadingTimeSeconds">Reading time at 200 words a minute, rounded up.</param>
/// <param name="TopKeywords">The most frequent words that are not stop words, most frequent first, then alphabetical.</param>
public sealed record TextStats(int WordCount, int UniqueWordCount, int SentenceCount, int ReadingTimeSeconds, IReadOnlyList<KeywordCount> TopKeywords);
