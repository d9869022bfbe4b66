using System.Text.Json;
using AgentAspire.Agents;

namespace AgentAspire.AgentFramework.Research;

/// <summary>The message that flows through the research workflow: the input, each executor's result and a person's decision.</summary>
/// <param name="Input">The run's input.</param>
/// <param name="Results">The results of the executors so far, by name.</param>
/// <param name="Approval">A person's decision on the answer, once given.</param>
public sealed record ResearchState(JsonElement Input, IReadOnlyDictionary<string, JsonElement> Results, ApprovalDecision? Approval = null)
{
    /// <summary>This state with one more result.</summary>
    /// <param name="name">The executor that produced it.</param>
    /// <param name="result">Its result.</param>
    /// <returns>A new state.</returns>
    public ResearchState With(string name, JsonElement result) =>
        this with { Results = new Dictionary<string, JsonElement>(Results, StringComparer.Ordinal) { [name] = result } };
}
