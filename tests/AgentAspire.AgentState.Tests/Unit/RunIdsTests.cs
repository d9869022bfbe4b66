using AgentAspire.AgentState;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class RunIdsTests
{
    public static TheoryData<string?, bool> RunIdCases => new()
    {
        { "run_1", true },
        { "a", true },
        { "Run-2024_ABC-xyz-09", true },
        { new string('a', 64), true },
        { null, false },
        { "", false },
        { new string('a', 65), false },
        { "run{1}", false },
        { "{run1}", false },
        { "run:1", false },
        { "run 1", false },
        { " run1", false },
        { "run1\n", false },
        { "rün1", false },
        { "run_١", false },
        { "run😀", false },
        { "run/1", false },
        { "run.1", false },
        { "run*", false },
    };

    [Theory]
    [MemberData(nameof(RunIdCases))]
    public void IsValid_accepts_only_1_to_64_characters_of_letters_digits_underscore_and_dash(string? runId, bool expected)
    {
        // Act
        var valid = RunIds.IsValid(runId);

        // Assert
        Assert.Equal(expected, valid);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "65 characters")]
    [InlineData("run:1", "may only contain")]
    public void ThrowIfInvalid_explains_what_is_wrong(string? runId, string expectedFragment)
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => RunIds.ThrowIfInvalid(runId));

        // Assert
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewRunId_is_valid_and_unique()
    {
        // Act
        var ids = Enumerable.Range(0, 1000).Select(_ => RunIds.NewRunId()).ToList();

        // Assert
        Assert.All(ids, id => Assert.Matches("^run_[0-9a-f]{32}$", id));
        Assert.All(ids, id => Assert.True(RunIds.IsValid(id)));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
