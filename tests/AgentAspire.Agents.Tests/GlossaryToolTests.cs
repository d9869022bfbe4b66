using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Tests;

public sealed class GlossaryToolTests
{
    [Fact]
    public void Finds_known_terms_in_order_of_first_occurrence_including_plurals_and_phrases()
    {
        var result = GlossaryTool.Lookup(new GlossaryArgs("Why do consumer groups read Valkey streams with a TTL?"));

        Assert.Equal(["consumer group", "Valkey", "stream", "TTL"], result.Entries.Select(entry => entry.Term));
        Assert.All(result.Entries, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Definition)));
    }

    [Fact]
    public void Finds_nothing_in_a_text_without_known_terms()
    {
        Assert.Empty(GlossaryTool.Lookup(new GlossaryArgs("The quick brown fox.")).Entries);
    }

    [Fact]
    public void Caches_its_static_results_for_a_day()
    {
        Assert.Equal(TimeSpan.FromHours(24), ((IAgentTool)new GlossaryTool()).Ttl);
    }
}
