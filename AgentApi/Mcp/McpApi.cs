namespace AgentAspire.AgentApi.Mcp;

/// <summary>
/// The api as a Model Context Protocol server at <c>/mcp</c> (streamable HTTP), so an assistant or another agent can
/// list agents, start, follow, cancel and approve runs. It sits behind the same API key, body limit and answers as the
/// HTTP endpoints, and keeps no session: any replica of the api answers any request.
/// </summary>
internal static class McpApi
{
    public const string Path = "/mcp";

    public static IServiceCollection AddRunsMcpServer(this IServiceCollection services)
    {
        services.AddMcpServer(options => options.ServerInfo = new() { Name = "agentaspire", Version = "1.0.0" })
            .WithHttpTransport(options => options.Stateless = true)
            // Static classes cannot be type arguments: the tools and resources are named by their types.
            .WithTools([typeof(RunTools)])
            .WithResources([typeof(RunLogResources)]);
        return services;
    }

    public static IEndpointRouteBuilder MapRunsMcp(this IEndpointRouteBuilder app)
    {
        app.MapMcp(Path).WithTags("MCP").ExcludeFromDescription();
        return app;
    }
}
