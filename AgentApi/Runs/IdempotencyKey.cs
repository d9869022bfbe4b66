using System.Security.Cryptography;
using System.Text;

namespace AgentAspire.AgentApi.Runs;

/// <summary>The <c>Idempotency-Key</c> header of <c>POST /runs</c>: the same key always names the same run.</summary>
internal static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";

    public const int MaxLength = 200;

    /// <summary>Reads the header: no key, one valid key, or what is wrong with it.</summary>
    public static IdempotencyKeyReading Read(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(HeaderName, out var values))
        {
            return new IdempotencyKeyReading(null, null);
        }

        return values.Count == 1
            ? Read(values[0] ?? "")
            : new IdempotencyKeyReading(null, $"Send one {HeaderName} header, not {values.Count}.");
    }

    /// <summary>Reads a key given as a value (the MCP face passes it as an argument): null is no key.</summary>
    public static IdempotencyKeyReading Read(string? value) =>
        value is null || (value.Length is > 0 and <= MaxLength && value.All(c => c is >= '!' and <= '~'))
            ? new IdempotencyKeyReading(value, null)
            : new IdempotencyKeyReading(null,
                $"The {HeaderName} must be 1 to {MaxLength} visible ASCII characters (no spaces); got {value.Length} characters.");

    /// <summary>The run id a key names: a valid run id that no other key is likely to reach.</summary>
    public static string RunIdFor(string key) =>
        "idem_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];
}

/// <summary>An idempotency key as read from a request: the key (null when none was sent) or why it is refused.</summary>
/// <param name="Key">The key, when one was sent and it is valid.</param>
/// <param name="Error">What is wrong with the key that was sent.</param>
internal readonly record struct IdempotencyKeyReading(string? Key, string? Error);
