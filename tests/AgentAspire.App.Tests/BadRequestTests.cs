using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentAspire.App.Tests;

/// <summary>
/// Every request a client can get wrong answers a 4xx problem+json that says what is wrong, and writes nothing:
/// the key set, the run index, every run's checkpoint time and every log's length are the same afterwards.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BadRequestTests(AppFixture fixture) : IAsyncLifetime
{
    private const string CompleteRunKey = "bad-request-tests-complete-run";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    // Placeholders in the table: a run that exists and is complete, and a well-formed id of no run.
    private const string Complete = "{complete}";
    private const string Unknown = "no_such_run_0001";

    private string _completeRunId = "";

    public async ValueTask InitializeAsync()
    {
        // The idempotency key makes every test of this class share one complete run.
        _completeRunId = await fixture.StartRunAsync(new { question = "What is a hash tag?" }, CompleteRunKey);
        await fixture.WaitForStatusAsync(_completeRunId, RunTimeout, "complete");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static TheoryData<BadRequest> Cases => new(new BadRequest[]
    {
        // POST /runs: the body
        new("malformed JSON", "POST", "/runs", """{"agent":""", 400, "JSON"),
        new("JSON after the body", "POST", "/runs", """{"agent":"research","input":{"question":"x"}} x""", 400, "JSON"),
        new("body is an array", "POST", "/runs", "[]", 400, "StartRunRequest"),
        new("body is null", "POST", "/runs", "null", 400, "body is required"),
        new("no body", "POST", "/runs", null, 400, "body is required"),
        new("text/plain body", "POST", "/runs", "hello", 415, "application/json", ContentType: "text/plain"),
        new("form body", "POST", "/runs", "agent=research", 415, "application/json", ContentType: "application/x-www-form-urlencoded"),
        new("agent missing", "POST", "/runs", """{"input":{"question":"x"}}""", 400, "'agent' is required"),
        new("unknown agent names the known ones", "POST", "/runs", """{"agent":"nope","input":{"question":"x"}}""", 400, "research"),
        new("agent is a number", "POST", "/runs", """{"agent":5,"input":{"question":"x"}}""", 400, "$.agent"),
        new("unknown body property", "POST", "/runs", """{"agent":"research","input":{"question":"x"},"priority":1}""", 400, "priority"),
        new("input missing", "POST", "/runs", """{"agent":"research"}""", 400, "got null"),
        new("input is a number", "POST", "/runs", """{"agent":"research","input":42}""", 400, "got a number"),
        new("input is a blank string", "POST", "/runs", """{"agent":"research","input":"  "}""", 400, "'question' must not be empty"),
        new("question missing", "POST", "/runs", """{"agent":"research","input":{}}""", 400, "'question' is required"),
        new("question blank", "POST", "/runs", """{"agent":"research","input":{"question":"  "}}""", 400, "must not be empty"),
        new("question too long", "POST", "/runs", "{\"agent\":\"research\",\"input\":{\"question\":\"" + new string('q', 2001) + "\"}}", 400, "at most 2000"),
        new("negative step delay", "POST", "/runs", """{"agent":"research","input":{"question":"x","stepDelayMs":-1}}""", 400, "between 0 and 60000"),
        new("unknown input property", "POST", "/runs", """{"agent":"research","input":{"question":"x","model":"big"}}""", 400, "Unknown property 'model'"),
        // POST /runs: the budget and the model loop's turn limit
        new("negative token budget", "POST", "/runs", """{"agent":"research","input":"x","budget":{"tokens":-1}}""", 400, "'budget.tokens' must be between 1 and 1000000000"),
        new("token budget not a number", "POST", "/runs", """{"agent":"research","input":"x","budget":{"tokens":"lots"}}""", 400, "$.budget.tokens"),
        new("absurd token budget", "POST", "/runs", """{"agent":"research","input":"x","budget":{"tokens":1e30}}""", 400, "$.budget.tokens"),
        new("token budget past the limit", "POST", "/runs", """{"agent":"research","input":"x","budget":{"tokens":1000000001}}""", 400, "between 1 and 1000000000"),
        new("negative cost budget", "POST", "/runs", """{"agent":"research","input":"x","budget":{"cost":-0.5}}""", 400, "'budget.cost' must be more than 0"),
        new("absurd cost budget", "POST", "/runs", """{"agent":"research","input":"x","budget":{"cost":1e300}}""", 400, "$.budget.cost"),
        new("cost budget past the limit", "POST", "/runs", """{"agent":"research","input":"x","budget":{"cost":2000000}}""", 400, "at most 1000000"),
        new("cost budget below a millionth", "POST", "/runs", """{"agent":"research","input":"x","budget":{"cost":0.0000001}}""", 400, "six decimal places"),
        new("empty budget", "POST", "/runs", """{"agent":"research","input":"x","budget":{}}""", 400, "'budget' needs 'tokens', 'cost' or both"),
        new("unknown budget field", "POST", "/runs", """{"agent":"research","input":"x","budget":{"dollars":5}}""", 400, "dollars"),
        new("turn limit zero", "POST", "/runs", """{"agent":"research-loop","input":{"question":"x","maxTurns":0}}""", 400, "'maxTurns' must be between 1 and 50"),
        new("turn limit too large", "POST", "/runs", """{"agent":"research-loop","input":{"question":"x","maxTurns":51}}""", 400, "'maxTurns' must be between 1 and 50"),
        new("turn limit not a number", "POST", "/runs", """{"agent":"research-loop","input":{"question":"x","maxTurns":"many"}}""", 400, "maxTurns"),
        // POST /runs: the Idempotency-Key header
        new("idempotency key with a space", "POST", "/runs", """{"agent":"research","input":{"question":"x"}}""", 400, "Idempotency-Key",
            Header: ("Idempotency-Key", "two words")),
        new("idempotency key too long", "POST", "/runs", """{"agent":"research","input":{"question":"x"}}""", 400, "1 to 200",
            Header: ("Idempotency-Key", new string('k', 201))),
        new("idempotency key empty", "POST", "/runs", """{"agent":"research","input":{"question":"x"}}""", 400, "got 0 characters",
            Header: ("Idempotency-Key", "")),
        // GET /runs
        new("limit zero", "GET", "/runs?limit=0", null, 400, "between 1 and 200"),
        new("limit too large", "GET", "/runs?limit=201", null, 400, "between 1 and 200"),
        new("limit past int", "GET", "/runs?limit=99999999999", null, 400, "limit"),
        new("limit not a number", "GET", "/runs?limit=ten", null, 400, "limit"),
        new("unknown status", "GET", "/runs?status=running", null, 400, "in_progress"),
        new("unknown replays filter", "GET", "/runs?replays=some", null, 400, "'replays' must be all, only or exclude"),
        new("unknown agent filter", "GET", "/runs?agent=nope", null, 400, "research"),
        new("cursor not base64", "GET", "/runs?cursor=%21%21%21", null, 400, "cursor"),
        new("cursor base64 of nonsense", "GET", $"/runs?cursor={Convert.ToBase64String(Encoding.UTF8.GetBytes("1:{x}")).TrimEnd('=')}", null, 400, "cursor"),
        // Run ids
        new("run id with a dot", "GET", "/runs/run.1", null, 400, "may only contain"),
        new("run id with braces", "GET", "/runs/%7Brun%7D", null, 400, "may only contain"),
        new("run id with a space", "GET", "/runs/run%201", null, 400, "may only contain"),
        new("run id too long", "GET", $"/runs/{new string('r', 65)}", null, 400, "at most 64"),
        new("run id far too long", "DELETE", $"/runs/{new string('r', 2000)}", null, 400, "at most 64"),
        new("unknown run", "GET", $"/runs/{Unknown}", null, 404, Unknown),
        // Log and events
        new("log from not a stream id", "GET", $"/runs/{Complete}/log?from=yesterday", null, 400, "stream entry id"),
        new("log from past 64 bits", "GET", $"/runs/{Complete}/log?from=99999999999999999999", null, 400, "stream entry id"),
        new("log count zero", "GET", $"/runs/{Complete}/log?count=0", null, 400, "between 1 and 1000"),
        new("log count too large", "GET", $"/runs/{Complete}/log?count=1001", null, 400, "between 1 and 1000"),
        new("log of unknown run", "GET", $"/runs/{Unknown}/log", null, 404, Unknown),
        new("log of malformed id", "GET", "/runs/a:b/log", null, 400, "may only contain"),
        new("events after a malformed Last-Event-ID", "GET", $"/runs/{Complete}/events", null, 400, "Last-Event-ID", Header: ("Last-Event-ID", "x-1")),
        new("events of unknown run", "GET", $"/runs/{Unknown}/events", null, 404, Unknown),
        // Control
        new("cancel a complete run", "POST", $"/runs/{Complete}/cancel", null, 409, "complete"),
        new("resume a complete run", "POST", $"/runs/{Complete}/resume", null, 409, "only a failed or cancelled run"),
        new("cancel unknown run", "POST", $"/runs/{Unknown}/cancel", null, 404, Unknown),
        new("resume malformed id", "POST", "/runs/%24/resume", null, 400, "may only contain"),
        new("approve a run that waits for nothing", "POST", $"/runs/{Complete}/approve", """{"approved":true}""", 409, "waits for no approval"),
        new("approve without body", "POST", $"/runs/{Complete}/approve", null, 400, "'approved' is required"),
        new("approve with a string", "POST", $"/runs/{Complete}/approve", """{"approved":"yes"}""", 400, "$.approved"),
        new("approve with a long comment", "POST", $"/runs/{Complete}/approve", "{\"approved\":false,\"comment\":\"" + new string('c', 2001) + "\"}", 400, "at most 2000"),
        new("reject with a budget", "POST", $"/runs/{Complete}/approve", """{"approved":false,"budget":{"tokens":100}}""", 400, "'budget' goes with an approval"),
        new("approve with a negative budget", "POST", $"/runs/{Complete}/approve", """{"approved":true,"budget":{"tokens":-5}}""", 400, "'budget.tokens' must be between"),
        new("approve as XML", "POST", $"/runs/{Complete}/approve", "<approved/>", 415, "application/json", ContentType: "application/xml"),
        new("fork from step 0", "POST", $"/runs/{Complete}/fork", """{"fromStep":0}""", 400, "between 1 and"),
        new("fork past the last step", "POST", $"/runs/{Complete}/fork", """{"fromStep":6}""", 400, "between 1 and 5"),
        new("fork without fromStep", "POST", $"/runs/{Complete}/fork", "{}", 400, "'fromStep' is required"),
        new("fork with a fractional step", "POST", $"/runs/{Complete}/fork", """{"fromStep":1.5}""", 400, "$.fromStep"),
        new("fork of unknown run", "POST", $"/runs/{Unknown}/fork", """{"fromStep":1}""", 404, Unknown),
        new("delete unknown run", "DELETE", $"/runs/{Unknown}", null, 404, Unknown),
        // Replays and comparisons
        new("replay unknown run", "POST", $"/runs/{Unknown}/replay", "{}", 404, Unknown),
        new("replay in an unknown mode", "POST", $"/runs/{Complete}/replay", """{"mode":"fast"}""", 400, "Unknown mode 'fast'; expected one of: recorded, live-after"),
        new("live-after without a step", "POST", $"/runs/{Complete}/replay", """{"mode":"live-after"}""", 400, "needs 'afterStep'"),
        new("live-after step zero", "POST", $"/runs/{Complete}/replay", """{"mode":"live-after","afterStep":0}""", 400, "'afterStep' must be between 1 and 4"),
        new("live-after past the last step", "POST", $"/runs/{Complete}/replay", """{"mode":"live-after","afterStep":5}""", 400, "'afterStep' must be between 1 and 4"),
        new("recorded with a step", "POST", $"/runs/{Complete}/replay", """{"mode":"recorded","afterStep":2}""", 400, "'afterStep' goes with the live-after mode"),
        new("replay with an unknown property", "POST", $"/runs/{Complete}/replay", """{"mode":"recorded","speed":2}""", 400, "speed"),
        new("replay malformed id", "POST", "/runs/a.b/replay", "{}", 400, "may only contain"),
        new("compare with an unknown run", "GET", $"/runs/{Complete}/compare/{Unknown}", null, 404, Unknown),
        new("compare an unknown run", "GET", $"/runs/{Unknown}/compare/{Complete}", null, 404, Unknown),
        new("compare with a malformed id", "GET", $"/runs/{Complete}/compare/a.b", null, 400, "may only contain"),
        new("replay batch limit zero", "POST", "/replays", """{"limit":0}""", 400, "'limit' must be between 1 and 50"),
        new("replay batch limit too large", "POST", "/replays", """{"limit":51}""", 400, "'limit' must be between 1 and 50"),
        new("replay batch of running runs", "POST", "/replays", """{"status":"in_progress"}""", 400, "'status' must be a status of an ended run"),
        new("replay batch of an unknown agent", "POST", "/replays", """{"agent":"nope"}""", 400, "'agent' must be a step agent"),
        new("replay batch of a workflow agent", "POST", "/replays", """{"agent":"research-workflow"}""", 400, "'agent' must be a step agent"),
        new("replay batch window backwards", "POST", "/replays", """{"since":"2026-01-02T00:00:00Z","until":"2026-01-01T00:00:00Z"}""", 400, "must be before 'until'"),
        new("replay batch with a bad date", "POST", "/replays", """{"since":"yesterday"}""", 400, "$.since"),
        new("unknown replay batch", "GET", "/replays/replays_0000", null, 404, "no batch of replays"),
        new("replay batch malformed id", "GET", "/replays/a.b", null, 400, "may only contain"),
        // Limits and strict JSON
        new("body over the limit", "POST", "/runs", LargeBody, 413, "262144"),
        new("body over the limit without a length", "POST", "/runs", LargeBody, 413, "262144", Chunked: true),
        new("duplicate property", "POST", "/runs", """{"agent":"research","agent":"research","input":{"question":"x"}}""", 400, "Duplicate property 'agent'"),
        new("duplicate property in the input", "POST", "/runs", """{"agent":"research","input":{"question":"x","question":"y"}}""", 400, "Duplicate property 'question'"),
        new("string for a number", "POST", $"/runs/{Complete}/fork", """{"fromStep":"1"}""", 400, "$.fromStep"),
        new("lone surrogate in the input", "POST", "/runs", """{"agent":"research","input":{"question":"\ud800"}}""", 400, "not valid Unicode"),
        new("lone surrogate in the agent", "POST", "/runs", """{"agent":"\udc00","input":{"question":"x"}}""", 400, "$.agent"),
        new("lone surrogate in a comment", "POST", $"/runs/{Complete}/approve", """{"approved":true,"comment":"\ud800"}""", 400, "$.comment"),
        new("invalid UTF-8 in the input", "POST", "/runs", InvalidUtf8("""{"agent":"research","input":{"question":"#"}}"""), 400, "not valid Unicode", Latin1: true),
        new("invalid UTF-8 in the agent", "POST", "/runs", InvalidUtf8("""{"agent":"#","input":{"question":"x"}}"""), 400, "$.agent", Latin1: true),
        new("unknown charset", "POST", "/runs", """{"agent":"research","input":{"question":"x"}}""", 400, "charset 'klingon'",
            ContentType: "application/json; charset=klingon"),
        new("charset other than UTF-8", "POST", "/runs", """{"agent":"research","input":{"question":"x"}}""", 400, "utf-16",
            ContentType: "application/json; charset=utf-16"),
        new("malformed JSON asked for as HTML", "POST", "/runs", """{"agent":""", 400, "JSON", Header: ("Accept", "text/html")),
        new("unknown path asked for as HTML", "GET", "/run", null, 404, "No endpoint", Header: ("Accept", "text/html")),
        // Routing
        new("wrong method", "PUT", $"/runs/{Complete}", """{}""", 405, "does not accept PUT"),
        new("unknown path", "GET", "/run", null, 404, "No endpoint"),
    });

    // A valid start whose question pads it past the 256 KB body limit.
    private static string LargeBody => "{\"agent\":\"research\",\"input\":{\"question\":\"" + new string('q', 300_000) + "\"}}";

    // The body with '#' replaced by two bytes that are not UTF-8 (0xFF 0xFE), sent as Latin-1.
    private static string InvalidUtf8(string json) => json.Replace("#", "\u00FF\u00FE", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answers_a_4xx_problem_and_writes_nothing(BadRequest bad)
    {
        // Arrange
        var before = await fixture.SnapshotAsync();
        using var request = new HttpRequestMessage(new HttpMethod(bad.Method), bad.Path.Replace(Complete, _completeRunId));
        if (bad.Body is not null)
        {
            var bytes = (bad.Latin1 ? Encoding.Latin1 : Encoding.UTF8).GetBytes(bad.Body);
            // A stream of unknown length is sent chunked, without Content-Length.
            request.Content = bad.Chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(bad.ContentType ?? "application/json");
        }

        if (bad.Header is { } header)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        // Act
        using var response = await fixture.Api.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var after = await fixture.SnapshotAsync();

        // Assert
        Assert.Equal((HttpStatusCode)bad.Status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(bad.Status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(bad.DetailContains.Replace(Complete, _completeRunId), problem.RootElement.GetProperty("detail").GetString());
        before.AssertUnchanged(after);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_sending_a_body_over_the_limit_reads_the_413_every_time(bool chunked)
    {
        // Arrange: the client sends the whole body before it reads the answer. A server that closed the connection
        // with the rest of it unread would make the client's system reset it, losing the answer about one time in five.
        var bytes = Encoding.UTF8.GetBytes(LargeBody);
        var statuses = new List<HttpStatusCode>();

        // Act
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/runs")
            {
                Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes),
            };
            request.Content.Headers.ContentType = new("application/json");
            using var response = await fixture.Api.SendAsync(request, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        // Assert
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
    }
}

/// <summary>One row of the bad-request table.</summary>
public sealed record BadRequest(
    string Name, string Method, string Path, string? Body, int Status, string DetailContains,
    string? ContentType = null, (string Name, string Value)? Header = null, bool Latin1 = false, bool Chunked = false)
{
    public override string ToString() => Name;
}
