using System.Security.Cryptography;
using System.Text;

namespace Microsoft.Extensions.Hosting;

/// <summary>Compares a presented secret (an API key, a sign-in key) with the configured one without leaking how much of it matched.</summary>
public static class AccessKeys
{
    /// <summary>True when <paramref name="given"/> equals <paramref name="expected"/>; the time taken depends on neither.</summary>
    /// <example><code>if (AccessKeys.Match(request.Headers["X-Api-Key"], options.ApiKey)) { /* signed in */ }</code></example>
    public static bool Match(string? given, string expected)
    {
        ArgumentException.ThrowIfNullOrEmpty(expected);
        // Hashing first gives two equal-length inputs, so even the length of the key is not revealed.
        return given is not null
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    /// <summary>
    /// True when <paramref name="given"/> equals the current key or, during a rotation, the previous one. Both are
    /// always compared, so the time taken does not tell which of them matched, nor whether a previous key is set.
    /// </summary>
    /// <param name="given">The presented secret.</param>
    /// <param name="current">The key in force.</param>
    /// <param name="previous">The key being retired, still accepted until it is removed; <see langword="null"/> or empty outside a rotation.</param>
    /// <example><code>if (AccessKeys.MatchCurrentOrPrevious(header, options.ApiKey, options.PreviousApiKey)) { /* signed in */ }</code></example>
    public static bool MatchCurrentOrPrevious(string? given, string current, string? previous)
    {
        var matchesCurrent = Match(given, current);
        // An unset previous key is compared with the current one, which costs the same and adds nothing.
        var matchesPrevious = Match(given, string.IsNullOrEmpty(previous) ? current : previous);
        return matchesCurrent | matchesPrevious;
    }
}
