using System.Globalization;

namespace AgentAspire.LogViewer.Runs;

/// <summary>Short human durations: <c>12s</c>, <c>4m 05s</c>, <c>3h 20m</c>, <c>2d 4h</c>.</summary>
public static class Ages
{
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 1 ? $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms"
            : span.TotalMinutes < 1 ? $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s"
            : span.TotalHours < 1 ? $"{span.Minutes}m {span.Seconds:00}s"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
            : $"{(int)span.TotalDays}d {span.Hours}h";
    }

    public static string Since(DateTimeOffset? then, DateTimeOffset now) => then is { } time ? Format(now - time) : "—";
}
