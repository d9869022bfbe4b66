using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentAspire.AgentState.Logs;

/// <summary>Writes and reads the <c>details</c> of log entries with <see cref="LogJsonContext"/>.</summary>
public static class LogDetailsJson
{
    /// <summary>The JSON of <paramref name="details"/>, as a log entry stores it.</summary>
    /// <typeparam name="TDetails">One of the records in <see cref="LogJsonContext"/>.</typeparam>
    /// <param name="details">The details.</param>
    /// <returns>Compact JSON.</returns>
    public static string Write<TDetails>(TDetails details) => JsonSerializer.Serialize(details, TypeInfo<TDetails>());

    /// <summary>Reads an entry's details as <typeparamref name="TDetails"/>.</summary>
    /// <typeparam name="TDetails">The record of the entry's action (see <see cref="LogActions"/>).</typeparam>
    /// <param name="entry">The log entry.</param>
    /// <param name="details">The details, when they could be read.</param>
    /// <returns>False when the details are not JSON of that shape.</returns>
    public static bool TryRead<TDetails>(LogEntry entry, [NotNullWhen(true)] out TDetails? details)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            details = JsonSerializer.Deserialize(entry.DetailsJson, TypeInfo<TDetails>());
            return details is not null;
        }
        catch (JsonException)
        {
            details = default;
            return false;
        }
    }

    private static JsonTypeInfo<TDetails> TypeInfo<TDetails>() =>
        LogJsonContext.Default.GetTypeInfo(typeof(TDetails)) as JsonTypeInfo<TDetails>
        ?? throw new InvalidOperationException($"{typeof(TDetails).Name} is not a log details record of {nameof(LogJsonContext)}.");
}
