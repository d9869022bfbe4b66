namespace AgentAspire.Tests;

/// <summary>What a <see cref="TestModelServer"/> answers one chat request with.</summary>
/// <param name="Text">The assistant's text; may be empty when it calls tools.</param>
/// <param name="InputTokens">The prompt tokens it reports.</param>
/// <param name="OutputTokens">The completion tokens it reports.</param>
/// <param name="CachedInputTokens">Of the prompt tokens, how many it reports as cached (OpenAI only).</param>
/// <param name="ToolCalls">Function calls, if the answer asks for tools.</param>
internal sealed record ModelReply(string Text, int InputTokens, int OutputTokens, int CachedInputTokens = 0, IReadOnlyList<ModelToolCall>? ToolCalls = null)
{
    public IReadOnlyList<ModelToolCall> Calls => ToolCalls ?? [];
}
