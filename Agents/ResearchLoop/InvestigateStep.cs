using AgentAspire.Agents.Loops;
using AgentAspire.Agents.Research.Tools;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.ResearchLoop;

/// <summary>The one step of <c>research-loop</c>: the model answers the question, choosing among the research tools.</summary>
/// <param name="timeProvider">The clock of the pause before each turn.</param>
/// <param name="webSearch">Searches the built-in documentation.</param>
/// <param name="textStats">Counts words and keywords of a text.</param>
/// <param name="glossary">Defines the known terms in a text.</param>
public sealed class InvestigateStep(TimeProvider timeProvider, WebSearchTool webSearch, TextStatsTool textStats, GlossaryTool glossary)
    : ModelLoopStep<ResearchLoopInput>
{
    /// <summary>The step's name.</summary>
    public const string StepName = "investigate";

    private const string Instruction =
        "You answer questions about AgentAspire. Search the documentation first; use the other tools when they help. " +
        "Answer in at most three sentences, from what the tools returned.";

    /// <inheritdoc />
    public override string Name => StepName;

    /// <inheritdoc />
    protected override IReadOnlyList<IAgentTool> Tools { get; } = [webSearch, textStats, glossary];

    /// <inheritdoc />
    protected override IEnumerable<ChatMessage> CreateMessages(StepContext context, ResearchLoopInput input) =>
        [new(ChatRole.System, Instruction), new(ChatRole.User, input.Question)];

    /// <inheritdoc />
    protected override int MaxTurns(ResearchLoopInput input) => input.MaxTurns;

    /// <inheritdoc />
    protected override Task BeforeTurnAsync(StepContext context, ResearchLoopInput input, int turn) =>
        input.TurnDelayMs > 0 ? Task.Delay(TimeSpan.FromMilliseconds(input.TurnDelayMs), timeProvider, context.CancellationToken) : Task.CompletedTask;
}
