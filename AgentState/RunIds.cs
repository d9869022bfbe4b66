using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AgentAspire.AgentState;

/// <summary>Validates and creates run ids: 1 to 64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
/// <remarks>The id becomes a Valkey hash tag (<c>{RUNID}</c>), so it may never hold braces or separators.</remarks>
public static partial class RunIds
{
    /// <summary>The largest number of characters in a run id.</summary>
    public const int MaxLength = 64;

    /// <summary>Returns whether <paramref name="runId"/> is a well-formed run id.</summary>
    /// <example><code>RunIds.IsValid("run_001") // true</code></example>
    public static bool IsValid([NotNullWhen(true)] string? runId) => runId is not null && Pattern().IsMatch(runId);

    /// <summary>Throws <see cref="ArgumentException"/> with a readable message unless <paramref name="runId"/> is well formed.</summary>
    public static void ThrowIfInvalid([NotNull] string? runId, [CallerArgumentExpression(nameof(runId))] string? paramName = null)
    {
        if (!IsValid(runId))
        {
            throw new ArgumentException(Describe(runId), paramName);
        }
    }

    /// <summary>Explains what is wrong with a run id, for error messages.</summary>
    public static string Describe(string? runId) => runId switch
    {
        null or "" => "The run id is empty; it must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'.",
        { Length: > MaxLength } => $"The run id has {runId.Length} characters; at most {MaxLength} are allowed.",
        _ when IsValid(runId) => $"The run id '{runId}' is valid.",
        _ => "The run id may only contain A-Z, a-z, 0-9, '_' and '-'.",
    };

    /// <summary>Creates a new random run id such as <c>run_3f9c2a7d1e4b4c0f8a6d2b1c9e7f5a3d</c>.</summary>
    public static string NewRunId() => "run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
