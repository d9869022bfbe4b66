using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentAspire.Agents;

/// <summary>The JSON settings every agent input, step result and tool payload is written and read with.</summary>
public static class AgentJson
{
    /// <summary>Web defaults (camelCase, case-insensitive reading), strict about missing required and null non-nullable values.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Strictness turns a malformed tool argument into an error instead of a silently defaulted value.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
