using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Research;

/// <summary>The built-in demo agent: plan → search → analyze → respond, with offline tools.</summary>
/// <param name="timeProvider">The clock the steps' delays run on.</param>
/// <param name="webSearch">The search tool of the search step.</param>
/// <param name="textStats">The text statistics tool of the analyze step.</param>
/// <param name="glossary">The glossary tool of the respond step.</param>
public sealed class ResearchAgent(TimeProvider timeProvider, WebSearchTool webSearch, TextStatsTool textStats, GlossaryTool glossary)
    : Agent<ResearchInput>
{
    /// <summary>The agent's name.</summary>
    public const string AgentName = "research";

    /// <inheritdoc />
    public override string Name => AgentName;

    /// <inheritdoc />
    public override string Description =>
        "Researches a question: plans searches, searches the built-in documentation, analyses the hits and answers with sources and a glossary.";

    /// <inheritdoc />
    public override IReadOnlyList<IAgentStep> Steps { get; } =
    [
        new PlanStep(timeProvider),
        new SearchStep(timeProvider, webSearch),
        new AnalyzeStep(timeProvider, textStats),
        new RespondStep(timeProvider, glossary),
    ];

    /// <summary>A question, with every option at its default, so a person sees what there is to set.</summary>
    public override ResearchInput Example => new("How does a run resume after a crash?");

    /// <summary>A plain string is the question, with the default options.</summary>
    protected override ResearchInput FromText(string text) => new(text);

    /// <inheritdoc />
    protected override IEnumerable<string> Validate(ResearchInput input) => input.Problems();
}
