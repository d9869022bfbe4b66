using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentAspire.AgentState.Json;

/// <summary>
/// JSON text as the product keeps it in Valkey (run inputs, step results, decisions, log details) and the forms it
/// takes on the way in and out: compact for storing, a JSON value for an answer, readable for people.
/// </summary>
public static class StoredJson
{
    // Text for people: whoever shows it escapes it, so \u003C in the stored JSON is shown as '<', not as six characters.
    private static readonly JsonSerializerOptions ReadableOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The compact text of <paramref name="value"/>, as it is stored; <see langword="null"/> when a string in it is
    /// invalid UTF-8 or a lone surrogate, which could not be read back.
    /// </summary>
    public static string? TryCompact(JsonElement value)
    {
        try
        {
            // Reading the raw text refuses invalid UTF-8; writing it again refuses a lone surrogate escape (\ud800).
            _ = value.GetRawText();
            return JsonSerializer.Serialize(value);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The stored text as a JSON value for an answer, so clients get real JSON, not a string: JSON <c>null</c> for none,
    /// and text that is not JSON as a JSON string.
    /// </summary>
    public static JsonElement ToElement(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return JsonSerializer.SerializeToElement<object?>(null);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not written by this product (another client of the same keys may write plain text): hand it back as a string.
            return JsonSerializer.SerializeToElement(json);
        }
    }

    /// <summary>The stored text written again compactly without escaping markup or non-ASCII characters; text that is not JSON as it is.</summary>
    public static string Readable(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Readable(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary><paramref name="value"/> written compactly without escaping markup or non-ASCII characters.</summary>
    public static string Readable(JsonElement value) => JsonSerializer.Serialize(value, ReadableOptions);
}
