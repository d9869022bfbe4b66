using System.Text.Json;

namespace AgentAspire.Agents.Tests;

/// <summary>Builds JSON inputs for tests.</summary>
internal static class Json
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
