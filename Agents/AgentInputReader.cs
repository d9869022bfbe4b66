using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentAspire.Agents;

/// <summary>
/// Reads a run's input into an agent's input type, checking the JSON against the type first so that every refusal
/// names the property and says what was expected, in words a client can act on.
/// </summary>
internal static class AgentInputReader
{
    public static TInput Read<TInput>(JsonElement input)
    {
        var typeInfo = AgentJson.InputOptions.GetTypeInfo(typeof(TInput));
        if (typeInfo.Kind == JsonTypeInfoKind.Object)
        {
            CheckObject(typeInfo, input);
        }

        try
        {
            return input.Deserialize<TInput>(AgentJson.InputOptions)
                ?? throw new AgentInputException($"Input must be {Expected(typeof(TInput))}, got null.");
        }
        catch (JsonException ex)
        {
            // The checks above catch the usual mistakes; this is for nested values, without the .NET type names.
            throw new AgentInputException($"The input does not fit {typeof(TInput).Name} at '{ex.Path ?? "$"}'.");
        }
    }

    /// <summary>The message for an input of the wrong JSON kind, naming the properties the agent takes.</summary>
    public static string NotAnObject<TInput>(JsonValueKind kind)
    {
        var typeInfo = AgentJson.InputOptions.GetTypeInfo(typeof(TInput));
        return $"Input must be a JSON object with the properties {Allowed(typeInfo)}, got {Describe(kind)}.";
    }

    private static void CheckObject(JsonTypeInfo typeInfo, JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new AgentInputException($"Input must be a JSON object with the properties {Allowed(typeInfo)}, got {Describe(input.ValueKind)}.");
        }

        var properties = typeInfo.Properties.ToDictionary(property => property.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in input.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new AgentInputException($"Property '{property.Name}' appears more than once.");
            }

            if (!properties.TryGetValue(property.Name, out var info))
            {
                throw new AgentInputException($"Unknown property '{property.Name}'; allowed: {Allowed(typeInfo)}.");
            }

            CheckValue(info, property.Value);
        }

        var missing = typeInfo.Properties.FirstOrDefault(property => IsRequired(property) && !seen.Contains(property.Name));
        if (missing is not null)
        {
            throw new AgentInputException($"'{missing.Name}' is required.");
        }
    }

    private static void CheckValue(JsonPropertyInfo property, JsonElement value)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var expected = Expected(type);
        if (value.ValueKind == JsonValueKind.Null)
        {
            var nullable = property.AssociatedParameter?.IsNullable ?? property.IsSetNullable;
            if (!nullable)
            {
                throw new AgentInputException($"'{property.Name}' must be {expected}, got null.");
            }

            return;
        }

        var fits = Type.GetTypeCode(type) switch
        {
            TypeCode.String => value.ValueKind == JsonValueKind.String,
            TypeCode.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            TypeCode.Int32 => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            TypeCode.Int64 => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            TypeCode.Double or TypeCode.Decimal or TypeCode.Single => value.ValueKind == JsonValueKind.Number,
            // Other types (objects, lists, enums) are left to the serializer.
            _ => true,
        };
        if (!fits)
        {
            var got = value.ValueKind == JsonValueKind.Number ? $"a number ({value.GetRawText()})" : Describe(value.ValueKind);
            throw new AgentInputException($"'{property.Name}' must be {expected}, got {got}.");
        }
    }

    private static bool IsRequired(JsonPropertyInfo property) =>
        property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false };

    private static string Allowed(JsonTypeInfo typeInfo) =>
        string.Join(", ", typeInfo.Properties.Select(property => property.Name));

    private static string Expected(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.String => "a string",
        TypeCode.Boolean => "true or false",
        TypeCode.Int32 or TypeCode.Int64 => "a whole number",
        TypeCode.Double or TypeCode.Decimal or TypeCode.Single => "a number",
        _ => "a value",
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
