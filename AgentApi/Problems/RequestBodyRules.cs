using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentApi.Problems;

/// <summary>
/// Checks a request body before anything reads it: no larger than <see cref="AgentApiOptions.MaxRequestBodyBytes"/>
/// (413; a body without a length is cut off at the limit by the server) and, when a charset is named, UTF-8 (400), the
/// only encoding of JSON (RFC 8259).
/// </summary>
internal sealed class RequestBodyRules(RequestDelegate next, IOptions<AgentApiOptions> options, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The body is {context.Request.ContentLength} bytes; at most {limit} bytes are accepted (AgentApi:MaxRequestBodyBytes).");
            return;
        }

        if (CharsetOf(context.Request.ContentType) is { } charset && !IsUtf8(charset))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Unsupported charset",
                $"JSON is read as UTF-8 only; the content type names charset '{charset}'. Send charset=utf-8 or no charset.");
            return;
        }

        await next(context);
    }

    private static string? CharsetOf(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ? mediaType.CharSet?.Trim('"') : null;

    private static bool IsUtf8(string charset) =>
        charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
