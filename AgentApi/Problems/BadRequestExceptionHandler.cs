using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AgentAspire.AgentApi.Problems;

/// <summary>Answers a request the framework could not bind (bad JSON, wrong content type, unparsable value) with its 4xx and the reason.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode switch
                {
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    _ => "The request is malformed",
                },
                Detail = Describe(badRequest),
            },
        });
    }

    // The framework's message names the parameter; the JSON reader's adds where the body went wrong.
    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is JsonException json
            ? $"{exception.Message} {json.Message}"
            : exception.Message;
}
