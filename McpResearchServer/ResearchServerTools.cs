using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.McpResearchServer;

/// <summary>The research tools this server offers, for the HTTP and the stdio transport alike.</summary>
public static class ResearchServerTools
{
    /// <summary>The server's name in its <c>initialize</c> answer.</summary>
    public const string ServerName = "agentaspire-research";

    /// <summary>Adds web_search, text_stats and lookup_glossary to an MCP server.</summary>
    /// <param name="builder">The MCP server's builder.</param>
    /// <returns>The same builder.</returns>
    public static IMcpServerBuilder WithResearchTools(this IMcpServerBuilder builder) =>
        builder.WithTools([
            new AgentToolServerTool(new WebSearchTool()),
            new AgentToolServerTool(new TextStatsTool()),
            new AgentToolServerTool(new GlossaryTool()),
        ]);

    /// <summary>Adds the research MCP server with its tools; the caller adds the transport.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The server's builder, to add the transport.</returns>
    public static IMcpServerBuilder AddResearchMcpServer(this IServiceCollection services) =>
        services.AddMcpServer(options => options.ServerInfo = new() { Name = ServerName, Version = "1.0.0" }).WithResearchTools();
}
