using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentApi.Problems;

/// <summary>
/// Checks a request body before anything reads it: no larger than <see cref="AgentApiOptions.MaxRequestBodyBytes"/>
/// (413) and, when a charset is named, UTF-8 (400), the only encoding of JSON (RFC 8259).
/// </summary>
/// <remarks>
/// A client that sends a body too large usually sends it whole before it reads the answer. A server that closes the
/// connection with part of that body unread makes the client's system reset it, and the 413 is lost with it. So the
/// server's own limit is twice the API's: after the 413 it reads and discards up to that much (for at most its
/// five-second drain), and only a body past twice the limit is cut off.
/// </remarks>
internal sealed class RequestBodyRules(RequestDelegate next, IOptions<AgentApiOptions> options, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = 2 * limit;
        }

        if (context.Request.ContentLength > limit)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The body is {context.Request.ContentLength} bytes. {TooLarge(limit)}");
            return;
        }

        if (CharsetOf(context.Request.ContentType) is { } charset && !IsUtf8(charset))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Unsupported charset",
                $"JSON is read as UTF-8 only; the content type names charset '{charset}'. Send charset=utf-8 or no charset.");
            return;
        }

        if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            context.Request.Body = new LimitedRequestBody(context.Request.Body, limit);
        }

        await next(context);
    }

    /// <summary>What a 413 says, however the body was found too large.</summary>
    public static string TooLarge(long limit) => $"At most {limit} bytes are accepted (AgentApi:MaxRequestBodyBytes).";

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
