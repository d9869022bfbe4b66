using AgentAspire.AgentFramework;
using AgentAspire.AgentFramework.Research;
using AgentAspire.Agents;
using AgentAspire.Agents.Research;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.Agents.ResearchLoop;
using AgentAspire.Agents.ResearchMcp;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AppAgents;

/// <summary>
/// The agents and tools this app offers, of every kind: the API lists them and checks their inputs, the worker runs
/// each with the runner of its kind. This project sits above every kind's library, so that neither the API nor the
/// worker references a kind's library of its own accord.
/// </summary>
public static class AppAgents
{
    /// <summary>Registers this app's agents, their runners and tools; add yours here, one line per agent, so the API and the worker both know them.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder, to add more agents or tools.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAppAgents();
    /// </code>
    /// </example>
    public static AgentsBuilder AddAppAgents(this IServiceCollection services) =>
        services.AddAgents()
            .AddAgent<ResearchAgent>()
            .AddAgent<ResearchLoopAgent>()
            .AddAgent<ResearchMcpAgent>()
            .AddWorkflowAgent<ResearchWorkflowAgent>()
            .AddTool<WebSearchTool>()
            .AddTool<TextStatsTool>()
            .AddTool<GlossaryTool>();
}
