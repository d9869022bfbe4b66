using System.Text.Json;
using AgentAspire.Agents.Research;

namespace AgentAspire.Agents.Tests;

public sealed class AgentCatalogTests
{
    private sealed class NamedAgent(string name, IReadOnlyList<string>? steps = null, string? example = null) : IAgent
    {
        public string Name => name;

        public string Description => "test agent";

        public string Kind => "test";

        public IReadOnlyList<string> StepNames => steps ?? [];

        public JsonElement? ExampleInput => example is null ? null : JsonDocument.Parse(example).RootElement.Clone();

        public object ReadInput(JsonElement input) =>
            input.ValueKind == JsonValueKind.Object ? input : throw new AgentInputException("Input must be a JSON object.");
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

    [Theory]
    [InlineData("plan,search,plan", "Agent 'twice': two steps are named 'plan'; step names must be unique within an agent.")]
    [InlineData("plan,tool_call", "Agent 'twice': step 'tool_call' has the name of an activity-log action")]
    [InlineData("plan,complete", "Agent 'twice': step 'complete' has the name of an activity-log action")]
    [InlineData("plan, ", "Agent 'twice': step 2 has no name.")]
    public void Refuses_an_agent_whose_step_list_is_ambiguous_naming_the_agent_and_the_step(string steps, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AgentCatalog([new NamedAgent("twice", steps.Split(','))]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_step_agent_whose_steps_repeat_a_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AgentCatalog([new RepeatingStepsAgent()]));

        Assert.Equal("Agent 'repeating': two steps are named 'same'; step names must be unique within an agent.", error.Message);
    }

    [Fact]
    public void Refuses_an_agent_that_refuses_its_own_example_input()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AgentCatalog([new NamedAgent("picky", ["one"], example: "[1]")]));

        Assert.Equal("Agent 'picky' refuses its own example input: Input must be a JSON object.", error.Message);
    }

    [Fact]
    public void Accepts_distinct_step_names_and_an_example_the_agent_accepts()
    {
        var catalog = new AgentCatalog([new NamedAgent("fine", ["plan", "search", "output"], example: """{"question":"q"}""")]);

        Assert.True(catalog.TryGet("fine", out _));
    }

    private sealed class RepeatingStepsAgent : Agent<ResearchInput>
    {
        public override string Name => "repeating";

        public override string Description => "Two steps with one name.";

        public override IReadOnlyList<IAgentStep> Steps { get; } = [new Named("same"), new Named("same")];

        private sealed class Named(string name) : IAgentStep
        {
            public string Name => name;

            public Task<StepResult> ExecuteAsync(StepContext context) => Task.FromResult(StepResult.Done(name));
        }
    }
}
