using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace AgentAspire.AgentState.Logs;

/// <summary>Stream entry ids as clients send them back: <c>MS-SEQ</c> or <c>MS</c>; <c>0</c> means the beginning.</summary>
public static partial class StreamIds
{
    /// <summary>The position before the first entry.</summary>
    public const string Beginning = "0-0";

    /// <summary>Returns whether <paramref name="id"/> is a stream entry id.</summary>
    public static bool IsValid([NotNullWhen(true)] string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex(@"^[0-9]{1,20}(-[0-9]{1,20})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
