using System.Text.RegularExpressions;

namespace AgentAspire.Agents;

/// <summary>The rule agent names follow.</summary>
internal static partial class AgentName
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);
}
