using System.Text.Json;

namespace AgentAspire.Agents.Research.Tools;

/// <summary>Reads the JSON data shipped inside this assembly, so the tools need no files or network.</summary>
internal static class EmbeddedJson
{
    public static T Read<T>(string fileName)
    {
        var resourceName = $"AgentAspire.Agents.Research.Tools.{fileName}";
        using var stream = typeof(EmbeddedJson).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing from the build.");
        return JsonSerializer.Deserialize<T>(stream, AgentJson.Options)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is empty.");
    }
}
