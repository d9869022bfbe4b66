using System.Data.Common;

namespace AgentAspire.Agents.Chat;

/// <summary>
/// The parsed <c>llm</c> connection string: <c>Endpoint=https://...;Key=...;Model=...</c> for an OpenAI-compatible
/// endpoint, or <c>Endpoint=http://localhost:11434;Model=llama3.2;Provider=ollama</c> for Ollama.
/// </summary>
/// <param name="Provider">Which client to build.</param>
/// <param name="Endpoint">The model server's base address.</param>
/// <param name="Model">The model to ask.</param>
/// <param name="Key">The API key, when the server wants one.</param>
public sealed record LlmConnection(LlmProvider Provider, Uri Endpoint, string Model, string? Key)
{
    /// <summary>Parses a connection string.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The connection it describes.</returns>
    /// <exception cref="InvalidOperationException">A part is missing or malformed; the message says which.</exception>
    public static LlmConnection Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var endpointText = Read(parts, "Endpoint") ?? throw Invalid("it has no Endpoint=");
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw Invalid($"Endpoint '{endpointText}' is not an absolute http or https address");
        }

        var model = Read(parts, "Model") ?? throw Invalid("it has no Model=");
        var provider = Read(parts, "Provider")?.ToLowerInvariant() switch
        {
            null or "openai" => LlmProvider.OpenAI,
            "ollama" => LlmProvider.Ollama,
            var other => throw Invalid($"Provider '{other}' is unknown (use openai or ollama)"),
        };
        return new LlmConnection(provider, endpoint, model, Read(parts, "Key"));
    }

    private static string? Read(DbConnectionStringBuilder parts, string name) =>
        parts.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text ? text.Trim() : null;

    // The connection string may hold a key, so the message names the problem and never echoes the whole string.
    private static InvalidOperationException Invalid(string problem) =>
        new($"ConnectionStrings:llm is malformed: {problem}.");
}
