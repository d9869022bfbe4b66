using AgentAspire.AgentState;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class UnixTimeTests
{
    [Fact]
    public void Format_writes_unix_seconds_with_three_decimals()
    {
        // Arrange
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_710_000_000_123);

        // Act and Assert
        Assert.Equal("1710000000.123", UnixTime.Format(time));
        Assert.Equal("1710000000.000", UnixTime.Format(DateTimeOffset.FromUnixTimeSeconds(1_710_000_000)));
        Assert.Equal("0.000", UnixTime.Format(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Format_ignores_the_current_culture()
    {
        // Arrange
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            // Act
            var text = UnixTime.Format(DateTimeOffset.FromUnixTimeMilliseconds(1_710_000_000_500));

            // Assert
            Assert.Equal("1710000000.500", text);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("1710000000.123", 1_710_000_000_123L)]
    [InlineData("1710000000", 1_710_000_000_000L)]
    [InlineData("1710000000.5", 1_710_000_000_500L)]
    [InlineData("0", 0L)]
    public void Parse_reads_integer_and_fractional_seconds(string text, long expectedMilliseconds)
    {
        // Act
        var time = UnixTime.Parse(text);

        // Assert
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedMilliseconds), time);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("1,5")]
    public void Parse_answers_null_for_absent_or_malformed_values(string? text)
    {
        // Act and Assert
        Assert.Null(UnixTime.Parse(text));
    }

    [Fact]
    public void Format_then_Parse_keeps_the_millisecond()
    {
        // Arrange
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_987);

        // Act and Assert
        Assert.Equal(time, UnixTime.Parse(UnixTime.Format(time)));
    }
}
