using System.Globalization;

namespace AgentAspire.AgentState;

/// <summary>Timestamps as <c>updated_at</c> and the log's <c>ts</c> hold them: unix seconds with a fraction (<c>1710000000.123</c>).</summary>
public static class UnixTime
{
    /// <summary>Formats <paramref name="time"/> as unix seconds with millisecond precision.</summary>
    public static string Format(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Parses unix seconds (integer or fractional); <see langword="null"/> when absent or malformed.</summary>
    public static DateTimeOffset? Parse(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : null;

    internal static double Score(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
