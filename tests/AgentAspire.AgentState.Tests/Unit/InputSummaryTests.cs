using AgentAspire.AgentState.Runs;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class InputSummaryTests
{
    public static TheoryData<string?, string?> Cases => new()
    {
        { """{"question":"How do streams work?","stepDelayMs":0}""", "How do streams work?" },
        { """{"stepDelayMs":0,"question":"  Why\n\tnot   cache?  "}""", "Why not cache?" },
        { "\"How do streams work?\"", "How do streams work?" },
        { """{"topic":"streams","depth":2}""", """{"topic":"streams","depth":2}""" },
        { "{ \"topic\" : \"é <b>\" ,\n \"n\": [1, 2] }", """{"topic":"é <b>","n":[1,2]}""" },
        { """{"question":42}""", """{"question":42}""" },
        { "[1,2,3]", "[1,2,3]" },
        { "17", "17" },
        { "true", "true" },
        { "{}", "{}" },
        { "null", null },
        { "\"   \"", null },
        { "", null },
        { null, null },
        { "not json at all", "not json at all" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Is_the_question_or_the_string_or_compact_json_on_one_line(string? inputJson, string? expected)
    {
        Assert.Equal(expected, InputSummary.Of(inputJson));
    }

    [Fact]
    public void A_long_input_is_cut_to_the_limit_with_an_ellipsis()
    {
        var question = string.Join(' ', Enumerable.Repeat("streams", 40));

        var summary = InputSummary.Of($$"""{"question":"{{question}}"}""");

        Assert.NotNull(summary);
        Assert.Equal(InputSummary.MaxLength, summary.Length);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
        Assert.StartsWith(summary[..^1], question, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_of_exactly_the_limit_is_kept_whole()
    {
        var question = new string('q', InputSummary.MaxLength);

        Assert.Equal(question, InputSummary.Of($"\"{question}\""));
    }

    [Fact]
    public void The_cut_never_splits_a_surrogate_pair()
    {
        // 78 letters put the 79th and 80th characters on one emoji: the cut keeps the letters only.
        var question = new string('a', InputSummary.MaxLength - 2) + string.Concat(Enumerable.Repeat("😀", 5));

        var summary = InputSummary.Of($"\"{question}\"");

        Assert.Equal(new string('a', InputSummary.MaxLength - 2) + "…", summary);
    }
}
