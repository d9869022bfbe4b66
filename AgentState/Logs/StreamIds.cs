using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentAspire.AgentState.Logs;

/// <summary>Stream entry ids as clients send them back: <c>MS-SEQ</c> or <c>MS</c>; <c>0</c> means the beginning.</summary>
public static partial class StreamIds
{
    /// <summary>The position before the first entry.</summary>
    public const string Beginning = "0-0";

    /// <summary>The largest id a stream can hold: nothing comes after it.</summary>
    public const string Last = "18446744073709551615-18446744073709551615";

    /// <summary>Returns whether <paramref name="id"/> is a stream entry id Valkey accepts: both parts fit in 64 bits.</summary>
    public static bool IsValid([NotNullWhen(true)] string? id)
    {
        if (id is null || !Pattern().IsMatch(id))
        {
            return false;
        }

        var separator = id.IndexOf('-');
        return separator < 0
            ? IsPart(id)
            : IsPart(id.AsSpan(0, separator)) && IsPart(id.AsSpan(separator + 1));
    }

    private static bool IsPart(ReadOnlySpan<char> part) =>
        ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    [GeneratedRegex(@"^[0-9]{1,20}(-[0-9]{1,20})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
