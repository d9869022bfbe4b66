using AgentAspire.AgentApi.Runs;
using AgentAspire.Agents;
using Microsoft.AspNetCore.Http.HttpResults;

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
            .WithSummary("List the agents a run can use, with their steps and an example input");

        return app;
    }

    public static Ok<AgentInfo[]> ListAgents(AgentCatalog catalog) =>
        TypedResults.Ok(catalog.All
            .Select(agent => new AgentInfo(agent.Name, agent.Kind, agent.Description, agent.StepNames, agent.ExampleInput, BudgetLimits.From(agent.DefaultBudget)))
            .ToArray());
}
