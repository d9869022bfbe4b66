using System.Text.Json;

namespace AgentAspire.AgentState;

/// <summary>Small JSON documents for log details, written without a serializer contract.</summary>
internal static class AgentJsonText
{
    public static string Object(params (string Name, object? Value)[] properties) =>
        JsonSerializer.Serialize(properties.Where(p => p.Value is not null).ToDictionary(p => p.Name, p => p.Value));
}
