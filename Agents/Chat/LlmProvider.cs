namespace AgentAspire.Agents.Chat;

/// <summary>The kinds of model server the <c>llm</c> connection string can select.</summary>
public enum LlmProvider
{
    /// <summary>An OpenAI-compatible chat completions endpoint.</summary>
    OpenAI,

    /// <summary>An Ollama server.</summary>
    Ollama,
}
