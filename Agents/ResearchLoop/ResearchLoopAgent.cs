using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.ResearchLoop;

/// <summary>
/// The demo agent that thinks in model turns: one step in which the model chooses among the research tools, every
/// turn and tool result journaled, tokens and cost counted.
/// </summary>
/// <param name="timeProvider">The clock of the pause before each turn.</param>
/// <param name="webSearch">Searches the built-in documentation.</param>
/// <param name="textStats">Counts words and keywords of a text.</param>
/// <param name="glossary">Defines the known terms in a text.</param>
public sealed class ResearchLoopAgent(TimeProvider timeProvider, WebSearchTool webSearch, TextStatsTool textStats, GlossaryTool glossary)
    : Agent<ResearchLoopInput>
{
    /// <summary>The agent's name.</summary>
    public const string AgentName = "research-loop";

    /// <inheritdoc />
    public override string Name => AgentName;

    /// <inheritdoc />
    public override string Description =>
        "Answers a question with a model that chooses among the research tools, turn after turn; every turn is journaled, its tokens and cost counted.";

    /// <inheritdoc />
    public override IReadOnlyList<IAgentStep> Steps { get; } = [new InvestigateStep(timeProvider, webSearch, textStats, glossary)];

    /// <inheritdoc />
    public override ResearchLoopInput Example => new("How does a run resume after a crash?");

    /// <summary>A plain string is the question, with the default options.</summary>
    protected override ResearchLoopInput FromText(string text) => new(text);

    /// <inheritdoc />
    protected override IEnumerable<string> Validate(ResearchLoopInput input) => input.Problems();
}
