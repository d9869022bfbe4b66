using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentAspire.AgentState.Tools;

/// <summary>
/// One spelling per JSON value: object properties sorted by ordinal name, no insignificant whitespace, strings
/// escaped the same way. Equal arguments in any property order get the same cache key.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Rewrites <paramref name="json"/> canonically.</summary>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not valid JSON.</exception>
    public static string Canonicalize(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The tool arguments are not valid JSON: {ex.Message}", nameof(json), ex);
        }

        using (document)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                Write(writer, document.RootElement);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    /// <summary>The lowercase hex SHA-256 of the canonical form of <paramref name="json"/>: 64 characters.</summary>
    /// <example><code>CanonicalJson.Hash("""{"b":1,"a":2}""") == CanonicalJson.Hash("""{ "a": 2, "b": 1 }""")</code></example>
    public static string Hash(string json) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonicalize(json))));

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                // 1.0, 1e0 and 1 are one number; decimal keeps up to 28 digits exactly.
                if (element.TryGetDecimal(out var number))
                {
                    writer.WriteNumberValue(number / 1.000000000000000000000000000000000m);
                }
                else
                {
                    writer.WriteRawValue(element.GetRawText());
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
