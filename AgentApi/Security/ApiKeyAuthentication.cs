using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentApi.Security;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header, compared in constant time with the key and, during a
/// rotation, the previous one; a refusal is a 401 ProblemDetails. An address that sent too many wrong keys is
/// answered 429 with <c>Retry-After</c> and its key is not checked (<see cref="FailedCredentialThrottle"/>).
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<AgentApiOptions> apiOptions,
    FailedCredentialThrottle throttle,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    private const string Credential = "API key";

    private TimeSpan? _throttledFor;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = apiOptions.Value.ApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            // Only reachable with AllowAnonymous: the service refuses to start otherwise.
            return Task.FromResult(Success("anonymous"));
        }

        if (!Request.Headers.TryGetValue(HeaderName, out var given) || given.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = Context.Connection.RemoteIpAddress;
        if (throttle.IsThrottled(client, Credential, out var retryAfter))
        {
            _throttledFor = retryAfter;
            return Task.FromResult(AuthenticateResult.Fail("Too many wrong API keys from this address."));
        }

        if (given.Count == 1 && AccessKeys.MatchCurrentOrPrevious(given[0], expected, apiOptions.Value.PreviousApiKey))
        {
            return Task.FromResult(Success("api-key"));
        }

        throttle.Refused(client, Credential);
        return Task.FromResult(AuthenticateResult.Fail($"The {HeaderName} header does not hold the API key."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_throttledFor is { } retryAfter)
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many wrong API keys",
                    Detail = $"This address sent too many wrong keys in the {HeaderName} header; its keys are not checked for {seconds} s.",
                },
            });
            return;
        }

        var hasKey = Request.Headers.ContainsKey(HeaderName);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = hasKey ? "Wrong API key" : "API key required",
                Detail = hasKey
                    ? $"The {HeaderName} header does not hold this API's key."
                    : $"Send the API key in the {HeaderName} header; the AppHost passes it to its services as AgentApi:ApiKey.",
            },
        });
    }

    private static AuthenticateResult Success(string name) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName)), SchemeName));
}
