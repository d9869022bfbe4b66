using System.Text.Json;

namespace AgentAspire.Tests;

/// <summary>One chat request a <see cref="TestModelServer"/> received.</summary>
/// <param name="Number">1 for the first request the server got, and so on.</param>
/// <param name="Protocol"><c>openai</c> (<c>/v1/chat/completions</c>) or <c>ollama</c> (<c>/api/chat</c>).</param>
/// <param name="Authorization">The Authorization header, if any.</param>
/// <param name="Body">The request body.</param>
internal sealed record ModelRequest(int Number, string Protocol, string? Authorization, JsonElement Body)
{
    public string Model => Body.GetProperty("model").GetString() ?? "";

    public bool Stream => Body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;

    /// <summary>The names of the functions the request offers the model.</summary>
    public IReadOnlyList<string> ToolNames => Body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
        ? tools.EnumerateArray().Select(tool => tool.GetProperty("function").GetProperty("name").GetString() ?? "").ToArray()
        : [];

    /// <summary>The text of the last user message.</summary>
    public string LastUserText => Body.GetProperty("messages").EnumerateArray()
        .LastOrDefault(message => message.GetProperty("role").GetString() == "user") is { ValueKind: JsonValueKind.Object } user
        ? TextOf(user.GetProperty("content"))
        : "";

    // OpenAI sends content as a string or as parts; Ollama as a string.
    private static string TextOf(JsonElement content) => content.ValueKind == JsonValueKind.Array
        ? string.Concat(content.EnumerateArray().Where(part => part.TryGetProperty("text", out _)).Select(part => part.GetProperty("text").GetString()))
        : content.GetString() ?? "";
}
