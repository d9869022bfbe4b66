using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class StreamIdsAndCursorTests
{
    [Theory]
    [InlineData("0", true)]
    [InlineData("0-0", true)]
    [InlineData("1710000000000-0", true)]
    [InlineData("1710000000000-42", true)]
    [InlineData("18446744073709551615-18446744073709551615", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("abc", false)]
    [InlineData("-1", false)]
    [InlineData("1-", false)]
    [InlineData("1-2-3", false)]
    [InlineData("+", false)]
    [InlineData("(1-0", false)]
    [InlineData(" 1-0", false)]
    [InlineData("123456789012345678901-0", false)]
    [InlineData("1-0\n", false)]
    [InlineData("١٢٣-0", false)]
    public void StreamIds_IsValid_accepts_only_entry_ids(string? id, bool expected)
    {
        // Act
        var valid = StreamIds.IsValid(id);

        // Assert
        Assert.Equal(expected, valid);
    }

    [Fact]
    public void RunCursor_round_trips_score_and_run_id()
    {
        // Arrange
        var cursor = new RunCursor(1710000000.123, "run_42");

        // Act
        var decoded = RunCursor.TryDecode(cursor.Encode(), out var back);

        // Assert
        Assert.True(decoded);
        Assert.Equal(cursor, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("MTIz")] // "123": no separator
    [InlineData("MTIzOnJ1bjox")] // "123:run:1": malformed run id
    [InlineData("YWJjOnJ1bl8x")] // "abc:run_1": not a number
    [InlineData("TmFOOnJ1bl8x")] // "NaN:run_1": not finite
    public void RunCursor_refuses_what_the_service_did_not_write(string? text)
    {
        // Act
        var decoded = RunCursor.TryDecode(text, out _);

        // Assert
        Assert.False(decoded);
    }

    [Fact]
    public void RunCursor_refuses_an_overlong_cursor()
    {
        // Act
        var decoded = RunCursor.TryDecode(new string('A', 201), out _);

        // Assert
        Assert.False(decoded);
    }
}
