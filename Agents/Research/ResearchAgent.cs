using System.Text.Json;

namespace AgentAspire.Agents.Research;

/// <summary>The built-in demo agent: plan → search → analyze → respond, with offline tools.</summary>
public sealed class ResearchAgent : IAgent
{
    /// <summary>The agent's name.</summary>
    public const string AgentName = "research";

    /// <summary>Creates the agent.</summary>
    /// <param name="timeProvider">The clock the steps' delays run on.</param>
    public ResearchAgent(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Steps = [new PlanStep(timeProvider), new SearchStep(timeProvider), new AnalyzeStep(timeProvider), new RespondStep(timeProvider)];
    }

    /// <inheritdoc />
    public string Name => AgentName;

    /// <inheritdoc />
    public string Description =>
        "Researches a question: plans searches, searches the built-in documentation, analyses the hits and answers with sources and a glossary.";

    /// <inheritdoc />
    public IReadOnlyList<IAgentStep> Steps { get; }

    /// <inheritdoc />
    public void ValidateInput(JsonElement input) => ResearchInput.Parse(input);
}
