using Microsoft.AspNetCore.Http.HttpResults;

using AgentAspire.AgentFramework;
using AgentAspire.Agents;

namespace AgentAspire.AgentApi.Agents;

/// <summary>The agents endpoints.</summary>
public static class AgentsApi
{
    /// <summary>Maps <c>GET /agents</c>.</summary>
    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/agents").WithTags("Agents");

        api.MapGet("/", ListAgents)
            .WithName("ListAgents")
            .WithSummary("List the agents a run can use, with their steps");

        return app;
    }

    public static Ok<AgentInfo[]> ListAgents(AgentCatalog catalog) =>
        TypedResults.Ok(catalog.All
            .Select(agent => new AgentInfo(agent.Name, agent.Description, agent.Steps.Select(step => step.Name).ToArray(), WorkflowKind.Of(agent)))
            .ToArray());
}
