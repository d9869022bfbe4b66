using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Tests;

public sealed class TextStatsToolTests
{
    [Fact]
    public void Computes_word_sentence_and_keyword_statistics_of_a_known_text()
    {
        const string text = "Valkey streams are logs. Streams keep entries in order! Valkey is fast?";

        var stats = TextStatsTool.Measure(new TextStatsArgs(text, TopKeywords: 3));

        Assert.Equal(12, stats.WordCount);
        Assert.Equal(10, stats.UniqueWordCount);
        Assert.Equal(3, stats.SentenceCount);
        Assert.Equal(4, stats.ReadingTimeSeconds); // 12 words at 200 a minute is 3.6 s, rounded up
        Assert.Equal([new KeywordCount("streams", 2), new KeywordCount("valkey", 2), new KeywordCount("entries", 1)], stats.TopKeywords);
    }

    [Fact]
    public void Measures_an_empty_text_as_zero()
    {
        var stats = TextStatsTool.Measure(new TextStatsArgs(""));

        Assert.Equal((0, 0, 0, 0), (stats.WordCount, stats.UniqueWordCount, stats.SentenceCount, stats.ReadingTimeSeconds));
        Assert.Empty(stats.TopKeywords);
    }

    [Fact]
    public void Counts_one_minute_of_reading_for_200_words()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 200));

        Assert.Equal(60, TextStatsTool.Measure(new TextStatsArgs(text)).ReadingTimeSeconds);
    }
}
