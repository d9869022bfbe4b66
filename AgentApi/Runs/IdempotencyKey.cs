using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AgentAspire.AgentApi.Runs;

/// <summary>The <c>Idempotency-Key</c> header of <c>POST /runs</c>: the same key always names the same run.</summary>
internal static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";

    public const int MaxLength = 200;

    /// <summary>Reads the header; <paramref name="key"/> is null when there is none.</summary>
    public static bool TryRead(IHeaderDictionary headers, out string? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        error = null;
        if (!headers.TryGetValue(HeaderName, out var values))
        {
            return true;
        }

        if (values.Count != 1)
        {
            error = $"Send one {HeaderName} header, not {values.Count}.";
            return false;
        }

        var value = values[0] ?? "";
        if (value.Length is 0 or > MaxLength || !value.All(c => c is >= '!' and <= '~'))
        {
            error = $"The {HeaderName} must be 1 to {MaxLength} visible ASCII characters (no spaces); got {value.Length} characters.";
            return false;
        }

        key = value;
        return true;
    }

    /// <summary>The run id a key names: a valid run id that no other key is likely to reach.</summary>
    public static string RunIdFor(string key) =>
        "idem_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];
}
