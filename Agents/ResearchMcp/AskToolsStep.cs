using AgentAspire.Agents.Loops;
using AgentAspire.Agents.Mcp;
using AgentAspire.Agents.ResearchLoop;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.ResearchMcp;

/// <summary>
/// The one step of <c>research-mcp</c>: the model answers the question with every tool of the MCP server
/// <see cref="ResearchMcpAgent.ServerName"/>, each call cached and journaled like the app's own tools.
/// </summary>
/// <param name="timeProvider">The clock of the pause before each turn.</param>
/// <param name="mcp">The MCP servers of the configuration.</param>
public sealed class AskToolsStep(TimeProvider timeProvider, McpToolSources mcp) : ModelLoopStep<ResearchLoopInput>
{
    /// <summary>The step's name.</summary>
    public const string StepName = "ask-tools";

    private const string Instruction =
        "You answer questions about AgentAspire with the tools of a research server. Search the documentation first; " +
        "use the other tools when they help. Answer in at most three sentences, from what the tools returned.";

    /// <inheritdoc />
    public override string Name => StepName;

    /// <summary>None of its own: the tools are the server's, listed when the worker connected.</summary>
    protected override IReadOnlyList<IAgentTool> Tools => [];

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<IAgentTool>> GetToolsAsync(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await mcp.GetToolsAsync(ResearchMcpAgent.ServerName, context.CancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override IEnumerable<ChatMessage> CreateMessages(StepContext context, ResearchLoopInput input) =>
        [new(ChatRole.System, Instruction), new(ChatRole.User, input.Question)];

    /// <inheritdoc />
    protected override int MaxTurns(ResearchLoopInput input) => input.MaxTurns;

    /// <inheritdoc />
    protected override Task BeforeTurnAsync(StepContext context, ResearchLoopInput input, int turn) =>
        input.TurnDelayMs > 0 ? Task.Delay(TimeSpan.FromMilliseconds(input.TurnDelayMs), timeProvider, context.CancellationToken) : Task.CompletedTask;
}
