using AgentAspire.Agents.Mcp;
using AgentAspire.Agents.ResearchLoop;

namespace AgentAspire.Agents.ResearchMcp;

/// <summary>
/// The demo agent whose tools come from an MCP server: the research tools served by the <c>McpResearchServer</c>
/// project, configured as <c>Mcp:Servers:research</c>. The same loop as <c>research-loop</c>, one network hop away.
/// </summary>
/// <param name="timeProvider">The clock of the pause before each turn.</param>
/// <param name="mcp">The MCP servers of the configuration.</param>
public sealed class ResearchMcpAgent(TimeProvider timeProvider, McpToolSources mcp) : Agent<ResearchLoopInput>
{
    /// <summary>The agent's name.</summary>
    public const string AgentName = "research-mcp";

    /// <summary>The configured name of the MCP server it takes its tools from.</summary>
    public const string ServerName = "research";

    /// <inheritdoc />
    public override string Name => AgentName;

    /// <inheritdoc />
    public override string Description =>
        "Answers a question with a model that uses the tools of the MCP server 'research'; every call cached and journaled like the app's own tools.";

    /// <inheritdoc />
    public override IReadOnlyList<IAgentStep> Steps { get; } = [new AskToolsStep(timeProvider, mcp)];

    /// <inheritdoc />
    public override ResearchLoopInput Example => new("What does the tool cache do?");

    /// <summary>A plain string is the question, with the default options.</summary>
    protected override ResearchLoopInput FromText(string text) => new(text);

    /// <inheritdoc />
    protected override IEnumerable<string> Validate(ResearchLoopInput input) => input.Problems();
}
