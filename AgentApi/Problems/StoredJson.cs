using System.Text.Json;

namespace AgentAspire.AgentApi.Problems;

/// <summary>Turns JSON text stored in Valkey into a JSON value for the answer, so clients get real JSON, not a string.</summary>
internal static class StoredJson
{
    public static JsonElement Parse(string? json)
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
}
