using AgentAspire.Agents.Research;

namespace AgentAspire.Agents.Tests;

public sealed class ResearchInputValidationTests
{
    private readonly ResearchAgent _agent = new(TimeProvider.System);

    [Theory]
    [InlineData("""{ "question": "How do Valkey streams work?" }""")]
    [InlineData("""{ "question": "x", "stepDelayMs": 0 }""")]
    [InlineData("""{ "question": "x", "stepDelayMs": 60000 }""")]
    [InlineData("""{ "question": "x", "stepDelayMs": 250, "requireApproval": true }""")]
    [InlineData("""{ "question": "<script>alert(1)</script>" }""")]
    [InlineData("""{ "question": "x", "failSearchAttempts": 100 }""")]
    public void Accepts_valid_input(string json)
    {
        _agent.ValidateInput(Json.Parse(json));
    }

    [Theory]
    [InlineData("{}", "'question' is required")]
    [InlineData("""{ "stepDelayMs": 10 }""", "'question' is required")]
    [InlineData("""{ "question": "" }""", "must not be empty")]
    [InlineData("""{ "question": "   " }""", "must not be empty")]
    [InlineData("""{ "question": 42 }""", "'question' must be a string, got a number")]
    [InlineData("""{ "question": null }""", "'question' must be a string, got null")]
    [InlineData("""{ "question": "x", "stepDelayMs": "10" }""", "'stepDelayMs' must be a whole number")]
    [InlineData("""{ "question": "x", "stepDelayMs": 1.5 }""", "'stepDelayMs' must be a whole number")]
    [InlineData("""{ "question": "x", "stepDelayMs": -1 }""", "between 0 and 60000, got -1")]
    [InlineData("""{ "question": "x", "stepDelayMs": 60001 }""", "between 0 and 60000, got 60001")]
    [InlineData("""{ "question": "x", "requireApproval": "yes" }""", "'requireApproval' must be true or false")]
    [InlineData("""{ "question": "x", "failSearchAttempts": 101 }""", "'failSearchAttempts' must be between 0 and 100, got 101")]
    [InlineData("""{ "question": "x", "failSearchAttempts": true }""", "'failSearchAttempts' must be a whole number of tries")]
    [InlineData("""{ "question": "x", "extra": 1 }""", "Unknown property 'extra'")]
    [InlineData("""{ "Question": "x" }""", "Unknown property 'Question'")]
    [InlineData("""{ "question": "x", "question": "y" }""", "appears more than once")]
    [InlineData("""["x"]""", "must be a JSON object")]
    [InlineData("\"x\"", "must be a JSON object")]
    public void Rejects_invalid_input_with_a_readable_message(string json, string expectedMessage)
    {
        var error = Assert.Throws<AgentInputException>(() => _agent.ValidateInput(Json.Parse(json)));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_question_longer_than_2000_characters_but_accepts_exactly_2000()
    {
        var atLimit = new string('a', ResearchInput.MaxQuestionLength);
        var overLimit = atLimit + "a";

        _agent.ValidateInput(Json.Parse($$"""{ "question": "{{atLimit}}" }"""));
        var error = Assert.Throws<AgentInputException>(() => _agent.ValidateInput(Json.Parse($$"""{ "question": "{{overLimit}}" }""")));

        Assert.Contains("at most 2000 characters, got 2001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_defaults_when_optional_properties_are_absent()
    {
        var input = ResearchInput.Parse(Json.Parse("""{ "question": "q" }"""));

        Assert.Equal(new ResearchInput("q", StepDelayMs: 0, RequireApproval: false), input);
    }
}
