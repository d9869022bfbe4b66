using AgentAspire.Agents.Research;
using AgentAspire.Agents.Research.Tools;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.Agents;

/// <summary>The agents and tools this app offers: the API lists them and checks their inputs, the worker runs them.</summary>
public static class AppAgents
{
    /// <summary>Registers this app's agents and tools; add yours here so the API and the worker both know them.</summary>
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
            .AddTool<WebSearchTool>()
            .AddTool<TextStatsTool>()
            .AddTool<GlossaryTool>();
}
