using AgentAspire.Agents.Research;

namespace AgentAspire.Agents.Tests;

public sealed class ResearchInputValidationTests
{
    private readonly ResearchAgent _agent = TestAgents.Research(TimeProvider.System);

    [Theory]
    [InlineData("""{ "question": "How do Valkey streams work?" }""")]
    [InlineData("""{ "question": "x", "stepDelayMs": 0 }""")]
    [InlineData("""{ "question": "x", "stepDelayMs": 60000 }""")]
    [InlineData("""{ "question": "x", "stepDelayMs": 250, "requireApproval": true }""")]
    [InlineData("""{ "question": "<script>alert(1)</script>" }""")]
    [InlineData("""{ "question": "x", "failSearchAttempts": 100 }""")]
    [InlineData("""{ "question": "x", "searchLatencyMs": 60000 }""")]
    public void Accepts_valid_input(string json)
    {
        _agent.ReadInput(Json.Parse(json));
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
    [InlineData("""{ "question": "x", "failSearchAttempts": true }""", "'failSearchAttempts' must be a whole number, got a boolean")]
    [InlineData("""{ "question": "x", "searchLatencyMs": 60001 }""", "'searchLatencyMs' must be between 0 and 60000, got 60001")]
    [InlineData("""{ "question": "x", "extra": 1 }""", "Unknown property 'extra'")]
    [InlineData("""{ "Question": "x" }""", "Unknown property 'Question'")]
    [InlineData("""{ "question": "x", "question": "y" }""", "appears more than once")]
    [InlineData("""["x"]""", "must be a JSON object")]
    [InlineData("42", "must be a JSON object")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("\"\"", "'question' must not be empty")]
    [InlineData("\"   \"", "'question' must not be empty")]
    [InlineData("""{ "question": "x", "stepDelayMs": -1, "failSearchAttempts": 101 }""", "'stepDelayMs' must be between 0 and 60000, got -1. 'failSearchAttempts' must be between 0 and 100, got 101.")]
    public void Rejects_invalid_input_with_a_readable_message(string json, string expectedMessage)
    {
        var error = Assert.Throws<AgentInputException>(() => _agent.ReadInput(Json.Parse(json)));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_question_longer_than_2000_characters_but_accepts_exactly_2000()
    {
        var atLimit = new string('a', ResearchInput.MaxQuestionLength);
        var overLimit = atLimit + "a";

        _agent.ReadInput(Json.Parse($$"""{ "question": "{{atLimit}}" }"""));
        var error = Assert.Throws<AgentInputException>(() => _agent.ReadInput(Json.Parse($$"""{ "question": "{{overLimit}}" }""")));

        Assert.Contains("at most 2000 characters, got 2001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_defaults_when_optional_properties_are_absent()
    {
        var input = _agent.ReadInput(Json.Parse("""{ "question": "q" }"""));

        Assert.Equal(new ResearchInput("q", StepDelayMs: 0, RequireApproval: false), input);
    }

    [Fact]
    public void Reads_a_plain_string_as_the_question_with_the_default_options()
    {
        var input = _agent.ReadInput(Json.Parse("\"How do streams work?\""));

        Assert.Equal(new ResearchInput("How do streams work?"), input);
    }

    [Fact]
    public void Names_the_allowed_properties_when_the_input_is_not_an_object()
    {
        var error = Assert.Throws<AgentInputException>(() => _agent.ReadInput(Json.Parse("[1]")));

        Assert.Equal("Input must be a JSON object with the properties question, stepDelayMs, requireApproval, failSearchAttempts, searchLatencyMs, got an array.", error.Message);
    }
}
