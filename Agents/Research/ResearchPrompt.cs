using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Research;

/// <summary>
/// Builds the research agent's chat messages: a system instruction, then the question as the first paragraph of
/// the user message and the material after a blank line, the layout the offline model answers from.
/// </summary>
internal static class ResearchPrompt
{
    public static ChatMessage[] Create(string instruction, string question, IEnumerable<string> material) =>
    [
        new(ChatRole.System, instruction),
        new(ChatRole.User, $"Question: {SearchQueries.OneLine(question)}\n\n{string.Join('\n', material)}"),
    ];
}
