using System.Net;

namespace AgentAspire.App.Tests;

/// <summary>
/// The api and the viewer as they start outside the AppHost: without their key they refuse to start and say which
/// setting is missing; with anonymous access switched on they start and warn; in Production they serve no health
/// endpoints; the api logs client errors at Information at most, without a stack trace; the viewer's sign-in cookie
/// is strict and HTTP-only, and its lifetime slides with each visit.
/// </summary>
public sealed class ServiceStartupTests
{
    private const string Key = "a-key-for-the-startup-tests";

    [Theory(Timeout = 120_000)]
    [InlineData("AgentApi", "AgentApi:ApiKey")]
    [InlineData("LogViewer", "LogViewer:AccessKey")]
    public async Task A_service_without_its_key_refuses_to_start_and_names_the_setting(string project, string setting)
    {
        // Arrange and Act
        await using var service = ServiceProcess.Start(project, new Dictionary<string, string>());
        var exitCode = await service.WaitForExitAsync();

        // Assert
        var log = service.ReadLog();
        Assert.True(exitCode != 0, "The service exited with 0. Its log:\n" + log);
        Assert.Contains(setting, log, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("AgentApi", "AgentApi__AllowAnonymous", "/agents", "AgentApi:AllowAnonymous is set")]
    [InlineData("LogViewer", "LogViewer__AllowAnonymous", "/signin", "LogViewer:AllowAnonymous is set")]
    public async Task A_service_with_anonymous_access_starts_and_warns_about_it(string project, string setting, string page, string warning)
    {
        // Arrange and Act
        await using var service = ServiceProcess.Start(project, new Dictionary<string, string> { [setting] = "true" });
        using var client = new HttpClient { BaseAddress = service.Url };
        await service.WaitUntilAnswersAsync(client, page);

        // Assert: a warning, once, in the log at start
        var log = service.ReadLog();
        var warnings = log.Split('\n').Count(line => line.Contains(warning, StringComparison.Ordinal));
        Assert.True(warnings == 1, $"{warnings} warnings. The log:\n{log}");
    }

    [Fact(Timeout = 120_000)]
    public async Task Client_errors_are_logged_at_Information_at_most_and_without_a_stack_trace()
    {
        // Arrange: the api with its key in Development, where the app's own code logs at Information.
        await using var service = ServiceProcess.Start("AgentApi", new Dictionary<string, string> { ["AgentApi__ApiKey"] = Key, ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        using var client = new HttpClient { BaseAddress = service.Url };
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        await service.WaitUntilAnswersAsync(client, "/openapi/v1.json");
        var startLog = service.ReadLog();

        // Act: malformed JSON, a wrong type, an unknown property, a wrong content type, a body too large, a bad run id.
        var bodies = new (string Json, string ContentType)[]
        {
            ("""{"agent":""", "application/json"),
            ("""{"agent":5}""", "application/json"),
            ("""{"agent":"research","input":"x","priority":1}""", "application/json"),
            ("agent=research", "application/x-www-form-urlencoded"),
            ("{\"agent\":\"" + new string('a', 300_000) + "\"}", "application/json"),
        };
        foreach (var (json, contentType) in bodies)
        {
            using var response = await client.PostAsync("/runs", new StringContent(json, System.Text.Encoding.UTF8, contentType), TestContext.Current.CancellationToken);
            Assert.InRange((int)response.StatusCode, 400, 499);
        }

        using (var badId = await client.GetAsync("/runs/a.b", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        }

        // Assert: nothing the requests logged is a warning, an error or a stack trace. The Valkey client's own
        // reconnect attempts (no Valkey runs here) are left out: they are the service's, not the requests'.
        var entries = LogEntries(service.ReadLog()[startLog.Length..])
            .Where(entry => entry.Length < 6 || !entry[6..].StartsWith("StackExchange.Redis.", StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(entries, entry => entry.StartsWith("warn:", StringComparison.Ordinal) || entry.StartsWith("fail:", StringComparison.Ordinal) || entry.StartsWith("crit:", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, entry => entry.Split('\n').Any(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal) && line.Contains('(', StringComparison.Ordinal)));
    }

    // The console logger's entries: a line that starts with its level ("info: Category[id]") and the indented lines after it.
    private static IEnumerable<string> LogEntries(string log)
    {
        var entry = new System.Text.StringBuilder();
        foreach (var line in log.Split('\n'))
        {
            if (line.Length > 6 && line[4] == ':' && !char.IsWhiteSpace(line[0]) && entry.Length > 0)
            {
                yield return entry.ToString();
                entry.Clear();
            }

            entry.Append(line).Append('\n');
        }

        if (entry.Length > 0)
        {
            yield return entry.ToString();
        }
    }

    [Theory(Timeout = 120_000)]
    [InlineData("AgentApi", "AgentApi__ApiKey", "/openapi/v1.json")]
    [InlineData("LogViewer", "LogViewer__AccessKey", "/signin")]
    public async Task A_service_in_Production_serves_no_health_or_alive_endpoint(string project, string setting, string page)
    {
        // Arrange
        await using var service = ServiceProcess.Start(project, new Dictionary<string, string> { [setting] = Key });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = service.Url };
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        await service.WaitUntilAnswersAsync(client, page);

        // Act
        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        using var alive = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        // Assert: not mapped; a mapped check would answer 200 or 503 (no Valkey here). The viewer sends a path it does
        // not serve to its sign-in first; the api answers 404.
        Assert.True(health.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Redirect, $"/health answered {(int)health.StatusCode}");
        Assert.True(alive.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Redirect, $"/alive answered {(int)alive.StatusCode}");
    }

    [Fact(Timeout = 120_000)]
    public async Task The_viewer_sign_in_cookie_is_strict_and_http_only_and_its_lifetime_slides_with_each_visit()
    {
        // Arrange: a sign-in that lasts 6 s without a visit
        await using var viewer = ServiceProcess.Start("LogViewer", new Dictionary<string, string>
        {
            ["LogViewer__AccessKey"] = Key,
            ["LogViewer__SignInLifetime"] = "00:00:06",
        });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = viewer.Url };
        await viewer.WaitUntilAnswersAsync(client, "/signin");

        // Act: sign in with the key
        using var signIn = await client.GetAsync($"/signin?key={Key}", TestContext.Current.CancellationToken);
        var first = ViewerCookie(signIn) ?? throw new InvalidOperationException($"No sign-in cookie; answer {(int)signIn.StatusCode}");

        // Assert: strict and HTTP-only, and it signs in
        Assert.Equal("strict", first.Attributes.GetValueOrDefault("samesite")?.ToLowerInvariant());
        Assert.True(first.Attributes.ContainsKey("httponly"), "the cookie can be read by scripts");
        Assert.True(await SignsInAsync(client, first), "the new cookie does not sign in");

        // Act and Assert: a visit past half of the lifetime gets a renewed cookie; the first one lapses after the
        // lifetime, the renewed one still signs in then
        var renewed = await Poll.UntilValueAsync(async () =>
            {
                using var visit = await VisitAsync(client, first);
                return ViewerCookie(visit);
            },
            TimeSpan.FromSeconds(6), "a visit to renew the sign-in cookie before it lapses");
        await Poll.UntilAsync(async () => !await SignsInAsync(client, first), TimeSpan.FromSeconds(10), "the first cookie to lapse after 6 s without a visit");
        Assert.True(await SignsInAsync(client, renewed), "the renewed cookie lapsed with the first one");
    }

    private static async Task<HttpResponseMessage> VisitAsync(HttpClient client, SetCookie cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    // POST /signout needs a sign-in: signed in, it answers with a plain redirect to the sign-in page; without one it
    // challenges, and its redirect carries the page to return to. Signing out changes nothing on the server.
    private static async Task<bool> SignsInAsync(HttpClient client, SetCookie cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signout");
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return !response.Headers.Location!.OriginalString.Contains("ReturnUrl", StringComparison.OrdinalIgnoreCase);
    }

    private static SetCookie? ViewerCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(SetCookie.Parse).FirstOrDefault(cookie => cookie.Name == "agentaspire-viewer")
            : null;

    /// <summary>One <c>Set-Cookie</c> header: name, value and attributes (names in lower case).</summary>
    private sealed record SetCookie(string Name, string Value, Dictionary<string, string> Attributes)
    {
        public static SetCookie Parse(string header)
        {
            var parts = header.Split(';', StringSplitOptions.TrimEntries);
            var pair = parts[0].Split('=', 2);
            var attributes = parts.Skip(1).Select(part => part.Split('=', 2))
                .ToDictionary(attribute => attribute[0].ToLowerInvariant(), attribute => attribute.Length > 1 ? attribute[1] : "", StringComparer.Ordinal);
            return new SetCookie(pair[0], pair.Length > 1 ? pair[1] : "", attributes);
        }
    }
}
