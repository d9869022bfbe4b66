using System.Text.Json;

namespace AgentAspire.AgentApi.Runs;

/// <summary>Writes a JSON value again without its whitespace, refusing text that is not valid Unicode.</summary>
internal static class CompactJson
{
    /// <summary>The compact text of <paramref name="value"/>, or <see langword="null"/> when a string in it is invalid UTF-8 or a lone surrogate.</summary>
    public static string? TryWrite(JsonElement value)
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
}
