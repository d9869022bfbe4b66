using Microsoft.AspNetCore.Authorization;

namespace AgentAspire.AgentApi.Security;

/// <summary>Registers the API key check, and refuses to start without a key unless anonymous access is asked for.</summary>
internal static partial class ApiSecurityExtensions
{
    public static WebApplicationBuilder AddApiKeyAuthentication(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AgentApiOptions.SectionName).Get<AgentApiOptions>() ?? new AgentApiOptions();
        if (string.IsNullOrEmpty(options.ApiKey) && !options.AllowAnonymous)
        {
            throw new InvalidOperationException(
                "No API key is configured. Set AgentApi:ApiKey (env AgentApi__ApiKey; the AppHost passes its secret parameter api-key), " +
                "or set AgentApi:AllowAnonymous=true to let anyone who can reach this service use it.");
        }

        // Refused keys are counted, throttled per address and logged as one line per address and interval by the
        // throttle; the handler's own lines (not authenticated, challenged) would be one more per request.
        builder.AddFailedCredentialThrottle();
        builder.Logging.AddFilter(typeof(ApiKeyAuthentication).FullName, LogLevel.Warning);
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>Says in the log at start when the service answers without a key.</summary>
    public static WebApplication LogAnonymousAccess(this WebApplication app)
    {
        var options = app.Configuration.GetSection(AgentApiOptions.SectionName).Get<AgentApiOptions>() ?? new AgentApiOptions();
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            LogAnonymous(app.Logger);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AgentApi:AllowAnonymous is set and no API key is configured: anyone who can reach this service can read, start, change and delete runs.")]
    private static partial void LogAnonymous(ILogger logger);
}
