using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Chat;

/// <summary>
/// How the offline model uses tools, so a model loop works with no key and no network: offered tools, it calls each
/// once, in the order offered, one per turn, with the question in every text argument; then it answers from the
/// question and the text of the results.
/// </summary>
internal static class OfflineToolUse
{
    /// <summary>The next tool call to make, or null when every offered tool was called (or none is offered).</summary>
    public static FunctionCallContent? NextCall(IReadOnlyList<ChatMessage> history, ChatOptions? options)
    {
        var offered = options?.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (offered is not { Count: > 0 })
        {
            return null;
        }

        var called = Calls(history).Select(call => call.Name).ToHashSet(StringComparer.Ordinal);
        var next = offered.FirstOrDefault(tool => !called.Contains(tool.Name));
        if (next is null)
        {
            return null;
        }

        var question = history.FirstOrDefault(message => message.Role == ChatRole.User)?.Text ?? "";
        return new FunctionCallContent($"call_{called.Count + 1}", next.Name, ArgumentsFor(next.JsonSchema, question));
    }

    /// <summary>The prompt followed by a blank line and the text of every tool result, the material of the answer.</summary>
    public static string WithToolResults(string prompt, IEnumerable<ChatMessage> history)
    {
        var material = new StringBuilder();
        foreach (var result in history.SelectMany(message => message.Contents).OfType<FunctionResultContent>())
        {
            AppendText(material, result.Result is JsonElement json ? json : JsonSerializer.SerializeToElement(result.Result?.ToString()));
        }

        return material.Length == 0 ? prompt : $"{prompt}\n\n{material}";
    }

    /// <summary>A message's text, with its tool calls and results spelled out, for counting tokens and telling transcripts apart.</summary>
    public static string TextOf(ChatMessage message) =>
        string.Join(' ', message.Contents.Select(content => content switch
        {
            TextContent text => text.Text,
            FunctionCallContent call => $"{call.Name} {JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions)}",
            FunctionResultContent result => JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions),
            _ => "",
        }));

    private static IEnumerable<FunctionCallContent> Calls(IEnumerable<ChatMessage> history) =>
        history.SelectMany(message => message.Contents).OfType<FunctionCallContent>();

    // Every string property gets the question; a required property of another type gets its default, or 1.
    private static Dictionary<string, object?> ArgumentsFor(JsonElement schema, string question)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return arguments;
        }

        var required = schema.TryGetProperty("required", out var names)
            ? names.EnumerateArray().Select(name => name.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var property in properties.EnumerateObject())
        {
            var type = property.Value.TryGetProperty("type", out var t) ? t.ToString() : "";
            if (type.Contains("string", StringComparison.Ordinal))
            {
                arguments[property.Name] = question;
            }
            else if (required.Contains(property.Name))
            {
                arguments[property.Name] = property.Value.TryGetProperty("default", out var value) ? value : 1;
            }
        }

        return arguments;
    }

    private static void AppendText(StringBuilder material, JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String when json.GetString() is { Length: > 20 } text:
                material.Append(text.TrimEnd()).Append(text.TrimEnd().EndsWith('.') ? " " : ". ");
                break;
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    AppendText(material, property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    AppendText(material, item);
                }

                break;
        }
    }
}
