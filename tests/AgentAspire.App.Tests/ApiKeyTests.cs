using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentAspire.App.Tests;

/// <summary>
/// Every endpoint of the api answers a request without the API key, or with a wrong one, with a 401 problem and reads
/// or writes nothing; health and the OpenAPI document (which declares the key) stay open.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ApiKeyTests(AppFixture fixture) : IAsyncLifetime
{
    private const string CompleteRunKey = "api-key-tests-complete-run";
    private const string Run = "{run}";

    private string _runId = "";

    public async ValueTask InitializeAsync()
    {
        _runId = await fixture.StartRunAsync(new { question = "Who may read this?" }, CompleteRunKey);
        await fixture.WaitForStatusAsync(_runId, TimeSpan.FromSeconds(90), "complete");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static TheoryData<string, string, string?, string?> Requests()
    {
        var data = new TheoryData<string, string, string?, string?>();
        (string Method, string Path, string? Body)[] endpoints =
        [
            ("POST", "/runs", """{"agent":"research","input":{"question":"x"}}"""),
            ("GET", "/runs", null),
            ("GET", $"/runs/{Run}", null),
            ("GET", $"/runs/{Run}/log", null),
            ("GET", $"/runs/{Run}/events", null),
            ("POST", $"/runs/{Run}/cancel", null),
            ("POST", $"/runs/{Run}/resume", null),
            ("POST", $"/runs/{Run}/approve", """{"approved":true}"""),
            ("POST", $"/runs/{Run}/fork", """{"fromStep":1}"""),
            ("DELETE", $"/runs/{Run}", null),
            ("GET", "/agents", null),
        ];
        foreach (var (method, path, body) in endpoints)
        {
            data.Add(method, path, body, null);
            data.Add(method, path, body, "not-the-key");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Without_the_right_key_every_endpoint_answers_401_and_changes_nothing(string method, string path, string? body, string? key)
    {
        // Arrange
        using var api = fixture.CreateApiClient(key);
        var before = await fixture.SnapshotAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace(Run, _runId, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        // Act
        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var after = await fixture.SnapshotAsync();

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("X-Api-Key", problem.RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain(_runId, text);
        before.AssertUnchanged(after);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_need_no_key_and_the_document_declares_it()
    {
        using var api = fixture.CreateApiClient(apiKey: null);

        using var health = await api.GetAsync("/health", TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(await api.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"),
            (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        Assert.Contains(document.RootElement.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("ApiKey", out _));
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused()
    {
        // A page of another origin that rebinds its DNS name to this machine still sends its own name as Host.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/agents");
        request.Headers.Host = "attacker.example";

        using var response = await fixture.Api.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
