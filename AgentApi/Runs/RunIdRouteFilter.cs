using AgentAspire.AgentApi.Problems;
using AgentAspire.AgentState;

namespace AgentAspire.AgentApi.Runs;

/// <summary>
/// Refuses a request whose route names a run id that cannot exist (<c>{id}</c>, and <c>{other}</c> of a comparison)
/// with a 400 before any handler reads Valkey, so no key is ever built from a malformed id.
/// </summary>
internal static class RunIdRouteFilter
{
    private static readonly string[] RouteNames = ["id", "other"];

    public static async ValueTask<object?> RejectMalformedIds(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var name in RouteNames)
        {
            if (context.HttpContext.Request.RouteValues.TryGetValue(name, out var value) && !RunIds.IsValid(value as string))
            {
                return ApiProblems.MalformedRunId(value as string);
            }
        }

        return await next(context);
    }
}
