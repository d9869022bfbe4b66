using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentAspire.App.Tests;

/// <summary>
/// Keys of the api and the viewer roll over without a moment refused, and wrong ones are throttled per client address
/// and logged as one line per address and interval. Each test speaks from loopback addresses of its own
/// (127.0.0.x), so the throttling of one never reaches another.
/// </summary>
public sealed partial class CredentialTests(CredentialApp app) : IClassFixture<CredentialApp>
{
    private const string NewApiKey = CredentialApp.NewApiKey;
    private const string OldApiKey = CredentialApp.OldApiKey;
//#if (IncludeLogViewer)
    private const string NewAccessKey = CredentialApp.NewAccessKey;
    private const string OldAccessKey = CredentialApp.OldAccessKey;
//#endif
    private const int PermitLimit = CredentialApp.PermitLimit;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private IReadOnlyCollection<string> ApiLog => app.ApiLog;

    [Fact]
    public async Task Both_keys_work_during_a_rotation_and_only_the_new_ones_after_it()
    {
        // Overlap: the new keys are current, the old ones previous; both open the api and the viewer.
        using var client = Client(IPAddress.Loopback);
        Assert.Equal(HttpStatusCode.OK, await AgentsAsync(client, NewApiKey));
        Assert.Equal(HttpStatusCode.OK, await AgentsAsync(client, OldApiKey));
//#if (IncludeLogViewer)
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(client, NewAccessKey));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(client, OldAccessKey));
//#endif

        // The previous keys removed and the services restarted.
        await app.EndOverlapAsync();

        Assert.Equal(HttpStatusCode.OK, await AgentsAsync(client, NewApiKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await AgentsAsync(client, OldApiKey));
//#if (IncludeLogViewer)
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(client, NewAccessKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(client, OldAccessKey));
//#endif
    }

    [Fact]
    public async Task Too_many_wrong_api_keys_are_answered_429_and_a_right_key_from_another_address_still_works()
    {
        using var guesser = Client(IPAddress.Parse("127.0.0.2"));
        using var other = Client(IPAddress.Parse("127.0.0.3"));

        for (var i = 0; i < PermitLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await AgentsAsync(guesser, $"wrong-{i}"));
        }

        using var throttled = await SendAsync(guesser, "/agents", NewApiKey);
        var problem = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var otherAnswer = await AgentsAsync(other, NewApiKey);

        // The guesser's own right key is not even checked while it waits; another address is not affected.
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {throttled.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.OK, otherAnswer);
    }

//#if (IncludeLogViewer)
    [Fact]
    public async Task Too_many_wrong_access_keys_are_answered_429_and_a_right_key_from_another_address_still_signs_in()
    {
        using var guesser = Client(IPAddress.Parse("127.0.0.4"));
        using var other = Client(IPAddress.Parse("127.0.0.5"));

        for (var i = 0; i < PermitLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(guesser, $"wrong-{i}"));
        }

        using var throttled = await guesser.GetAsync(ViewerSignIn(NewAccessKey), TestContext.Current.CancellationToken);
        var otherAnswer = await SignInAsync(other, NewAccessKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {throttled.Headers.RetryAfter}");
        Assert.Contains("Too many wrong keys", await throttled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Redirect, otherAnswer);
    }

//#endif
    [Fact]
    public async Task Refused_api_keys_are_logged_as_one_line_per_address_and_interval_with_their_count()
    {
        const int requests = 12;
        using var guesser = Client(IPAddress.Parse("127.0.0.6"));
        using var marker = Client(IPAddress.Parse("127.0.0.7"));

        // Act: a burst of wrong keys (throttled after the limit), then one wrong key of another address, whose line
        // at once marks where the burst's lines would be in the api's ordered log.
        for (var i = 0; i < requests; i++)
        {
            using var _ = await SendAsync(guesser, "/agents", $"wrong-{i}");
        }

        await AgentsAsync(marker, "wrong-marker");
        await Poll.UntilAsync(() => Task.FromResult(ApiLog.Any(line => line.Contains("from 127.0.0.7", StringComparison.Ordinal))),
            Timeout, "the marker's refusal is logged", () => string.Join('\n', ApiLog));
        var untilMarker = ApiLog.TakeWhile(line => !line.Contains("from 127.0.0.7", StringComparison.Ordinal)).ToList();

        // The rest of the burst is told with its count once the interval ends.
        await Poll.UntilAsync(() => Task.FromResult(RefusalsLogged(ApiLog, "127.0.0.6") == requests),
            Timeout, $"all {requests} refusals are counted in the log", () => string.Join('\n', ApiLog));
        var lines = ApiLog.Where(line => line.Contains("from 127.0.0.6", StringComparison.Ordinal)).ToList();

        // Assert: one line for the first refusal, none per request, nothing from the authentication handler itself.
        // (Two when an interval ended within the burst on a slow machine: the first refusal, then the count so far.)
        Assert.InRange(untilMarker.Count(line => line.Contains("from 127.0.0.6", StringComparison.Ordinal)), 1, 2);
        Assert.True(lines.Count <= 3, $"{lines.Count} lines for {requests} refused requests:\n{string.Join('\n', lines)}");
        Assert.DoesNotContain(ApiLog, line => line.Contains("was not authenticated", StringComparison.Ordinal) || line.Contains("was challenged", StringComparison.Ordinal));
    }

    // "Refused an API key from A" counts one; "Refused N more API key attempts from A" counts N.
    private static int RefusalsLogged(IEnumerable<string> log, string address) =>
        log.Where(line => line.Contains($"from {address}", StringComparison.Ordinal))
            .Sum(line => MoreRefusals().Match(line) is { Success: true } more ? int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1);

    [GeneratedRegex(@"Refused (\d+) more")]
    private static partial Regex MoreRefusals();

    // A client whose connections leave from <paramref name="address"/>, so the services see it as that client.
    private static HttpClient Client(IPAddress address) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(address, 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });

    private async Task<HttpStatusCode> AgentsAsync(HttpClient client, string key)
    {
        using var response = await SendAsync(client, "/agents", key);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{app.ApiPort}{path}");
        request.Headers.Add("X-Api-Key", key);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

//#if (IncludeLogViewer)
    private string ViewerSignIn(string key) => $"http://localhost:{app.ViewerPort}/signin?key={Uri.EscapeDataString(key)}";

    private async Task<HttpStatusCode> SignInAsync(HttpClient client, string key)
    {
        using var response = await client.GetAsync(ViewerSignIn(key), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
//#endif
}
