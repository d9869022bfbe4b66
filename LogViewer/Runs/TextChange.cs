namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// Where two texts differ, as the part both start with, the changed middle and the part both end with, so a diff can
/// mark only what changed in a long string.
/// </summary>
/// <param name="Prefix">What both texts start with.</param>
/// <param name="Changed">This text's middle, which the other text does not have there.</param>
/// <param name="Suffix">What both texts end with.</param>
public sealed record TextChange(string Prefix, string Changed, string Suffix)
{
    /// <summary>The parts of <paramref name="text"/> around what differs from <paramref name="other"/>.</summary>
    public static TextChange Of(string text, string other)
    {
        var prefix = 0;
        var shorter = Math.Min(text.Length, other.Length);
        while (prefix < shorter && text[prefix] == other[prefix])
        {
            prefix++;
        }

        // The common end may not reach into the common start (abab against ab).
        var suffix = 0;
        while (suffix < shorter - prefix && text[^(suffix + 1)] == other[^(suffix + 1)])
        {
            suffix++;
        }

        return new TextChange(text[..prefix], text[prefix..(text.Length - suffix)], text[(text.Length - suffix)..]);
    }
}
