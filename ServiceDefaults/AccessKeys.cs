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
}
