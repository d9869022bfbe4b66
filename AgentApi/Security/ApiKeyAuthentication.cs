using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentApi.Security;

/// <summary>Authenticates a request by its <c>X-Api-Key</c> header, compared in constant time; a refusal is a 401 ProblemDetails.</summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<AgentApiOptions> apiOptions,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

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

        return Task.FromResult(given.Count == 1 && AccessKeys.Match(given[0], expected)
            ? Success("api-key")
            : AuthenticateResult.Fail($"The {HeaderName} header does not hold the API key."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
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
