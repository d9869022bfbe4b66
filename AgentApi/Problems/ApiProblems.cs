using Microsoft.AspNetCore.Http.HttpResults;
using AgentAspire.AgentState;

namespace AgentAspire.AgentApi.Problems;

/// <summary>The ProblemDetails answers of the API, each saying what is wrong.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string detail, string title = "The request is not valid") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static ProblemHttpResult MalformedRunId(string? runId) =>
        BadRequest(RunIds.Describe(runId), "Malformed run id");

    public static ProblemHttpResult RunNotFound(string runId) =>
        TypedResults.Problem($"There is no run '{runId}'; it never existed, was deleted or has expired.",
            statusCode: StatusCodes.Status404NotFound, title: "Run not found");

    public static ProblemHttpResult Conflict(string detail, string title = "The run's state does not allow this") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);
}
