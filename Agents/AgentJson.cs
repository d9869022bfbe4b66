using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AgentAspire.Agents;

/// <summary>The JSON settings every agent input, step result and tool payload is written and read with.</summary>
public static class AgentJson
{
    /// <summary>Web defaults (camelCase, case-insensitive reading), strict about missing required and null non-nullable values.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// How a run's input is read: like <see cref="Options"/>, but property names must match exactly, and unknown or
    /// repeated properties are refused, so a misspelt option is an error rather than a silently ignored one.
    /// </summary>
    public static JsonSerializerOptions InputOptions { get; } = CreateInputOptions();

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

    private static JsonSerializerOptions CreateInputOptions()
    {
        var options = new JsonSerializerOptions(Options)
        {
            PropertyNameCaseInsensitive = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
        };
        options.MakeReadOnly();
        return options;
    }
}
