using Microsoft.Extensions.Options;

namespace AgentAspire.AgentApi.Problems;

/// <summary>Says what is wrong in the ProblemDetails the framework writes by itself (unknown route, wrong method, wrong content type).</summary>
internal static class FrameworkProblems
{
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"No endpoint answers {request.Method} {request.Path}; see /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}; see /openapi/v1.json.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"Send the body as application/json; got {(string.IsNullOrEmpty(request.ContentType) ? "no content type" : $"'{request.ContentType}'")}.",
            StatusCodes.Status413PayloadTooLarge => RequestBodyRules.TooLarge(
                context.HttpContext.RequestServices.GetRequiredService<IOptions<AgentApiOptions>>().Value.MaxRequestBodyBytes),
            _ => null,
        };
    }
}
