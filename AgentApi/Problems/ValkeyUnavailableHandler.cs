using AgentAspire.AgentState;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AgentAspire.AgentApi.Problems;

/// <summary>
/// The one place that answers a fault of Valkey (down, timing out, loading, full): 503 with <c>Retry-After</c>, since the
/// same request succeeds once Valkey is back. Every endpoint gets it; none catches the client library's exceptions.
/// </summary>
internal sealed partial class ValkeyUnavailableHandler(IProblemDetailsService problemDetails, ILogger<ValkeyUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>The seconds a client is asked to wait before it tries again.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ValkeyFaults.IsInfrastructure(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        var full = ValkeyFaults.IsOutOfMemory(exception);
        // One line, no stack trace: the fault is Valkey's, and the health check says the rest.
        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = full ? "Valkey is full" : "Valkey is unavailable",
                Detail = full
                    ? $"Valkey has reached its memory limit and refuses writes; nothing was changed. Try again in {RetryAfterSeconds} seconds or once old runs expire."
                    : $"The state store cannot be reached right now; nothing was changed. Try again in {RetryAfterSeconds} seconds.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: Valkey is unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);
}
