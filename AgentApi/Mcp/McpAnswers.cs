using AgentAspire.AgentApi.Problems;
using AgentAspire.AgentState;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol;

namespace AgentAspire.AgentApi.Mcp;

/// <summary>
/// Turns the answer of an HTTP handler into the answer of an MCP tool: its value, or a tool error that says what the
/// ProblemDetails said. The MCP face runs the very handlers of the HTTP face, so both check and refuse alike.
/// </summary>
internal static class McpAnswers
{
    /// <summary>The value of a successful answer; a ProblemDetails or a fault of Valkey becomes a tool error the client reads.</summary>
    public static async Task<T> ValueOf<T>(Func<Task<IResult>> handler)
    {
        IResult answer;
        try
        {
            answer = await handler();
        }
        catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex))
        {
            // The same promise as the HTTP face's 503: nothing changed, the same call succeeds once Valkey is back.
            throw new McpException(ValkeyFaults.IsOutOfMemory(ex)
                ? "Valkey is full: it has reached its memory limit and refuses writes; nothing was changed. Try again later."
                : $"Valkey is unavailable: the state store cannot be reached right now; nothing was changed. Try again in {ValkeyUnavailableHandler.RetryAfterSeconds} seconds.");
        }

        return answer switch
        {
            IValueHttpResult<T> { Value: { } value } => value,
            ProblemHttpResult problem => throw new McpException(Describe(problem)),
            _ => throw new InvalidOperationException($"The handler answered {answer.GetType().Name}, which the MCP face does not translate."),
        };
    }

    /// <summary>
    /// <see cref="ValueOf{T}"/> for a handler of one run: a malformed run id is refused first, as the HTTP face's route
    /// filter does before its handlers run.
    /// </summary>
    public static Task<T> ValueOfRun<T>(string runId, Func<Task<IResult>> handler) =>
        RunIds.IsValid(runId) ? ValueOf<T>(handler) : throw new McpException(Describe(ApiProblems.MalformedRunId(runId)));

    // "404 Run not found: There is no run 'x'…": the status keeps the HTTP face's meaning for clients that know it.
    private static string Describe(ProblemHttpResult problem) =>
        $"{problem.StatusCode} {problem.ProblemDetails.Title}: {problem.ProblemDetails.Detail}";
}
