using System.Text.Json;
using AgentAspire.Agents.Research;

namespace AgentAspire.Agents.Tests;

public sealed class AgentCatalogTests
{
    private sealed class NamedAgent(string name) : IAgent
    {
        public string Name => name;

        public string Description => "test agent";

        public IReadOnlyList<IAgentStep> Steps => [];

        public object ReadInput(JsonElement input) => input;
    }

    [Fact]
    public void Finds_agents_by_exact_name_and_lists_them_by_name()
    {
        var catalog = new AgentCatalog([new NamedAgent("zeta"), TestAgents.Research(TimeProvider.System)]);

        Assert.True(catalog.TryGet("research", out var agent));
        Assert.IsType<ResearchAgent>(agent);
        Assert.False(catalog.TryGet("Research", out _));
        Assert.Equal(["research", "zeta"], catalog.All.Select(a => a.Name));
    }

    [Fact]
    public void Refuses_two_agents_with_the_same_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AgentCatalog([new NamedAgent("twin"), new NamedAgent("twin")]));

        Assert.Contains("'twin'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Research")]
    [InlineData("re search")]
    [InlineData("")]
    [InlineData("-research")]
    public void Refuses_names_outside_lowercase_letters_digits_and_hyphens(string name)
    {
        Assert.Throws<InvalidOperationException>(() => new AgentCatalog([new NamedAgent(name)]));
    }
}
