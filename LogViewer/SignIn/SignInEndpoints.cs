using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentAspire.LogViewer.SignIn;

/// <summary>
/// The sign-in page: the access key, typed in or carried by the AppHost's link (<c>/signin?key=…</c>), is exchanged
/// for an HTTP-only cookie. Every other page redirects here without that cookie.
/// </summary>
public static partial class SignInEndpoints
{
    public const string Path = "/signin";

    private const string Credential = "access key";

    /// <summary>Registers cookie sign-in and makes it required by every endpoint; refuses to start without a key unless anonymous access is asked for.</summary>
    public static WebApplicationBuilder AddViewerSignIn(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(LogViewerAccessOptions.SectionName).Get<LogViewerAccessOptions>() ?? new LogViewerAccessOptions();
        if (string.IsNullOrEmpty(options.AccessKey) && !options.AllowAnonymous)
        {
            throw new InvalidOperationException(
                "No access key is configured. Set LogViewer:AccessKey (env LogViewer__AccessKey; the AppHost passes its secret parameter " +
                "logviewer-access-key), or set LogViewer:AllowAnonymous=true to let anyone who can reach the viewer use it.");
        }

        // Wrong keys are counted and throttled per client address, and logged as one line per address and interval.
        builder.AddFailedCredentialThrottle();
        builder.Services.Configure<LogViewerAccessOptions>(builder.Configuration.GetSection(LogViewerAccessOptions.SectionName));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = Path;
                cookie.Cookie.Name = "agentaspire-viewer";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = options.SignInLifetime;
                cookie.SlidingExpiration = true;
            });
        builder.Services.AddAuthorization(authorization =>
        {
            if (!string.IsNullOrEmpty(options.AccessKey))
            {
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        return builder;
    }

    /// <summary>Maps <c>GET /signin</c> (the form, or a sign-in by <c>?key=</c>), <c>POST /signin</c> and <c>POST /signout</c>.</summary>
    public static WebApplication MapViewerSignIn(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<LogViewerAccessOptions>>().Value;
        var throttle = app.Services.GetRequiredService<FailedCredentialThrottle>();
        if (string.IsNullOrEmpty(options.AccessKey))
        {
            LogAnonymous(app.Logger);
        }

        app.MapGet(Path, async (HttpContext context, string? key, string? returnUrl, IAntiforgery antiforgery) =>
            key is null
                ? Form(context, antiforgery, returnUrl, error: null)
                : await SignInAsync(context, antiforgery, throttle, options, key, returnUrl)).AllowAnonymous();

        app.MapPost(Path, async (HttpContext context, [FromForm] string? key, [FromForm] string? returnUrl, IAntiforgery antiforgery) =>
            await SignInAsync(context, antiforgery, throttle, options, key, returnUrl)).AllowAnonymous();

        app.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(Path);
        });

        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, FailedCredentialThrottle throttle, LogViewerAccessOptions options, string? key, string? returnUrl)
    {
        var client = context.Connection.RemoteIpAddress;
        if (throttle.IsThrottled(client, Credential, out var retryAfter))
        {
            // The key is not even checked: a guesser learns nothing until the wait is over.
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Form(context, antiforgery, returnUrl,
                $"Too many wrong keys from this address: try again in {seconds} s.", StatusCodes.Status429TooManyRequests);
        }

        if (string.IsNullOrEmpty(options.AccessKey) || !AccessKeys.MatchCurrentOrPrevious(key, options.AccessKey, options.PreviousAccessKey))
        {
            throttle.Refused(client, Credential);
            return Form(context, antiforgery, returnUrl, "That is not the access key. Use the link the AppHost prints, or its logviewer-access-key parameter.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "viewer")], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        // Only a path of this site: a sign-in link must not send anyone elsewhere.
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int refusedStatus = StatusCodes.Status401Unauthorized)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var page = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1.0" />
                <title>Sign in · AgentAspire</title>
                <link rel="stylesheet" href="/app.css" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
            </head>
            <body>
                <header class="topbar"><span class="brand">AgentAspire</span></header>
                <main class="signin">
                    <h1>Sign in</h1>
                    <p>Enter the viewer's access key. The AppHost prints a link that signs you in; the key is its
                    <code>logviewer-access-key</code> parameter.</p>
                    {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{html.Encode(error)}</p>")}}
                    <form method="post" action="{{Path}}">
                        <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? "")}}" />
                        <input type="hidden" name="returnUrl" value="{{html.Encode(IsLocal(returnUrl) ? returnUrl! : "/")}}" />
                        <label>Access key <input type="password" name="key" autocomplete="current-password" autofocus required /></label>
                        <button type="submit">Sign in</button>
                    </form>
                </main>
            </body>
            </html>
            """;
        return Results.Content(page, "text/html; charset=utf-8", statusCode: error is null ? StatusCodes.Status200OK : refusedStatus);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LogViewer:AllowAnonymous is set and no access key is configured: anyone who can reach the viewer can watch and change runs.")]
    private static partial void LogAnonymous(ILogger logger);
}
