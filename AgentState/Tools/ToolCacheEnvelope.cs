using System.Text.Json;

namespace AgentAspire.AgentState.Tools;

/// <summary>The JSON stored in a cache entry: <c>{"tool":"…","storedAt":1710000000.123,"result":…}</c>.</summary>
internal static class ToolCacheEnvelope
{
    public static string Write(string tool, string resultJson, DateTimeOffset storedAt) =>
        $$"""{"tool":{{JsonSerializer.Serialize(tool)}},"storedAt":{{UnixTime.Format(storedAt)}},"result":{{resultJson}}}""";

    public static string? ReadResult(string envelope)
    {
        try
        {
            using var document = JsonDocument.Parse(envelope);
            return document.RootElement.TryGetProperty("result", out var result) ? result.GetRawText() : null;
        }
        catch (JsonException)
        {
            // Not ours (written by hand or another program): treat as a miss and overwrite it.
            return null;
        }
    }
}
