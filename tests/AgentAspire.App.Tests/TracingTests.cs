using System.Net.Http.Json;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.App.Tests.Telemetry;

namespace AgentAspire.App.Tests;

/// <summary>
/// One trace per run: the API request, the run, every step and every tool call, exported over OTLP. The tests share one
/// app (<see cref="TracedApp"/>), each finding its own spans by run id; what must hold of every span is checked on all.
/// </summary>
public sealed class TracingTests(TracedApp traced) : IClassFixture<TracedApp>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_run_is_traced_under_the_api_request_that_started_it()
    {
        // Arrange: every service exports its spans to the receiver.
        var (receiver, running) = (traced.Receiver, traced.Running);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        startup.CancelAfter(Timeout);

        // Act
        using var response = await running.Api.PostAsJsonAsync("/runs",
            new { agent = "research", input = new { question = "How does a Valkey stream keep an activity log?" } }, startup.Token);
        response.EnsureSuccessStatusCode();
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(startup.Token)).GetProperty("runId").GetString()!;
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.Status == RunStatus.Complete, Timeout, "the run completes");
        // The run's span ends after its last commit, so it can reach the receiver in a later batch than its steps, and
        // the api exports the request's span in batches of its own.
        await Poll.UntilAsync(
            () => Task.FromResult(
                receiver.Spans.Count(span => span.Name == "agent.step" && RunIdOf(span) == runId) == 4
                && receiver.Spans.FirstOrDefault(span => span.Name == "agent.run" && RunIdOf(span) == runId) is { } run
                && receiver.Spans.Any(span => span.TraceId == run.TraceId && span.Service == "api" && span.Attributes.ContainsKey("url.path"))),
            Timeout, "the request's span, the run's span and its four step spans are exported");

        // Assert: request, run, steps and tool calls share one trace, each under its parent.
        var spans = receiver.Spans.ToList();
        var run = Assert.Single(spans, span => span.Name == "agent.run" && RunIdOf(span) == runId);
        Assert.Equal("research", run.Attributes["agent.name"]);
        var request = Assert.Single(spans, span => span.TraceId == run.TraceId && span.Attributes.TryGetValue("url.path", out var path) && (string)path == "/runs");
        Assert.Equal("POST", request.Attributes["http.request.method"]);
        Assert.Equal(202L, request.Attributes["http.response.status_code"]);

        var steps = spans.Where(span => span.Name == "agent.step" && span.ParentSpanId == run.SpanId).ToList();
        Assert.Equal([1L, 2L, 3L, 4L], steps.Select(step => (long)step.Attributes["agent.step"]).Order());
        Assert.All(steps, step => Assert.Equal(runId, RunIdOf(step)));

        var tools = spans.Where(span => span.Name == "tool.call" && span.TraceId == run.TraceId).ToList();
        Assert.NotEmpty(tools);
        Assert.All(tools, tool =>
        {
            Assert.Contains(steps, step => step.SpanId == tool.ParentSpanId);
            Assert.IsType<string>(tool.Attributes["tool.name"]);
            Assert.IsType<bool>(tool.Attributes["tool.cache_hit"]);
            Assert.Equal(runId, RunIdOf(tool));
        });
    }

    [Fact]
    public async Task An_mcp_tool_call_continues_the_run_trace_in_the_mcp_server()
    {
        // Arrange: research-mcp takes its tools from research-tools over streamable HTTP; a question of its own, so
        // no call is answered from the tool cache and every one crosses the hop.
        var (receiver, running) = (traced.Receiver, traced.Running);
        using var response = await running.Api.PostAsJsonAsync("/runs",
            new { agent = "research-mcp", input = new { question = $"What does the tool cache keep ({Guid.NewGuid():N})?" } }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!;

        // Act
        await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.Status == RunStatus.Complete, Timeout, "the run completes");
        ExportedSpan? RunSpan() => receiver.Spans.FirstOrDefault(span => span.Name == "agent.run" && RunIdOf(span) == runId);
        await Poll.UntilAsync(
            () => Task.FromResult(RunSpan() is { } run
                && receiver.Spans.Count(span => span.TraceId == run.TraceId && span.Service == "research-tools" && IsMcpRequest(span)) >= 3),
            Timeout, "the run's span and research-tools' spans of its three tool calls are exported");

        // Assert: each tool call's request to the server is served under that call, in the run's trace.
        var spans = receiver.Spans.ToList();
        var run = RunSpan()!;
        var byId = spans.Where(span => span.TraceId == run.TraceId).ToDictionary(span => span.SpanId);
        var toolCalls = spans.Where(span => span.Name == "tool.call" && span.TraceId == run.TraceId).ToList();
        Assert.Equal(3, toolCalls.Count);
        var served = spans.Where(span => span.TraceId == run.TraceId && span.Service == "research-tools" && IsMcpRequest(span)).ToList();
        Assert.All(toolCalls, call => Assert.Contains(served, server => AncestorsOf(server, byId).Any(ancestor => ancestor.SpanId == call.SpanId)));
        Assert.All(served, server => Assert.Equal("worker", byId[server.ParentSpanId].Service));
    }

    // The spans above `span` in its trace, nearest first, as far as they were exported.
    private static IEnumerable<ExportedSpan> AncestorsOf(ExportedSpan span, Dictionary<string, ExportedSpan> byId)
    {
        for (var at = span; byId.TryGetValue(at.ParentSpanId, out var parent); at = parent)
        {
            yield return parent;
        }
    }

    private static bool IsMcpRequest(ExportedSpan span) =>
        span.Attributes.TryGetValue("url.path", out var path) && (string)path == "/mcp";

    [Fact]
    public async Task Health_check_pings_stay_out_of_the_traces()
    {
        // Arrange: the AppHost polls the api's and the viewer's /health, whose Valkey check PINGs over the shared connection.
        var (receiver, running) = (traced.Receiver, traced.Running);

        // Act: /health, then a traced request that does touch Valkey: once its spans are in, so is anything /health made.
        var listingsBefore = Listings(receiver).Count;
        using var health = await running.Api.GetAsync("/health", TestContext.Current.CancellationToken);
        using var response = await running.Api.GetAsync("/runs?limit=1", TestContext.Current.CancellationToken);
        await WaitForListingAsync(receiver, listingsBefore);

        // Assert
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        // A span named for the command (the worker's "agent.housekeeping" holds the letters too).
        Assert.DoesNotContain(receiver.Spans, span => span.Name.Split(' ')[0].Equals("PING", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(receiver.Spans, span => span.Attributes.TryGetValue("url.path", out var path) && (string)path == "/health");
    }

    [Fact]
    public async Task An_idle_app_exports_no_trace_of_queue_polling()
    {
        // Arrange: every service exports to the receiver; the worker polls its queue about once a second.
        var (receiver, running) = (traced.Receiver, traced.Running);

        // Act: ten idle polls of the queue (Valkey counts the worker's XREADGROUP calls), then one request that does
        // touch Valkey, so its spans prove the exporter works.
        var readsBefore = await QueueReadsAsync(running);
        await Poll.UntilAsync(async () => await QueueReadsAsync(running) - readsBefore >= 10, Timeout, "ten idle polls of the queue");
        var listingsBefore = Listings(receiver).Count;
        using var response = await running.Api.GetAsync("/runs?limit=1", TestContext.Current.CancellationToken);
        await WaitForListingAsync(receiver, listingsBefore);

        // Assert: every Valkey command belongs to a span of its own work; none starts a trace.
        var spans = receiver.Spans.ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{spans.Count} spans exported, {spans.Count(IsValkeyCommand)} of them Valkey commands, {spans.Count(span => span.ParentSpanId.Length == 0)} roots");
        Assert.True(response.IsSuccessStatusCode, $"/runs answered {(int)response.StatusCode}");
        Assert.All(spans.Where(IsValkeyCommand), command => Assert.NotEqual("", command.ParentSpanId));
        Assert.DoesNotContain(spans, span => span.ParentSpanId.Length == 0 && span.Name.Split(' ')[0] is "XREADGROUP" or "XAUTOCLAIM" or "XLEN" or "XPENDING");
    }

    // Calls of XREADGROUP the app's Valkey has served: one per idle poll of the worker's queue loop.
    private static async Task<long> QueueReadsAsync(RunningApp running)
    {
        var calls = 0L;
        foreach (var server in running.Connection.GetServers())
        {
            var stats = await server.InfoAsync("commandstats");
            calls += stats.SelectMany(group => group)
                .Where(stat => stat.Key == "cmdstat_xreadgroup")
                .Select(stat => long.Parse(stat.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture))
                .Sum();
        }

        return calls;
    }

//#if (IncludeLogViewer)
    [Fact]
    public async Task A_watched_viewer_exports_the_runs_traces_and_none_of_its_rendering()
    {
        // Arrange: every service exports to the receiver; a browser watches the run list, which re-renders as runs move.
        var (receiver, running) = (traced.Receiver, traced.Running);
        await using var viewer = await HeadlessViewer.SignInAsync(running);
        var list = await viewer.OpenAsync("/");
        var watched = TimeSpan.FromSeconds(30);
        var watching = Task.Delay(watched, TestContext.Current.CancellationToken);

        // Act: runs start and complete while the pages are open; one run's page is open too (it asks the api for the agents).
        var runIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await running.Api.PostAsJsonAsync("/runs",
                new { agent = "research", input = new { question = $"Which traces does a person look for ({i})?" } }, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
            runIds.Add((await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!);
        }

        var detail = await viewer.OpenAsync($"/runs/{runIds[0]}");
        foreach (var runId in runIds)
        {
            await Poll.UntilAsync(async () => (await running.Store.GetAsync(runId))?.Status == RunStatus.Complete, Timeout, $"run {runId} completes");
        }

        await watching;
        await Poll.UntilAsync(
            () => Task.FromResult(runIds.All(runId => receiver.Spans.Any(span => span.Name == "agent.run" && RunIdOf(span) == runId))
                && receiver.Spans.Any(IsViewerCallToTheApi)),
            Timeout, "every run's span and the viewer's call to the api are exported");
        await detail.CloseAsync();
        await list.CloseAsync();

        // Assert: one trace per run, rooted at the api request that started it; the viewer's own work is its page
        // requests and what they call, and no span of the framework's rendering or hub traffic.
        var spans = receiver.Spans.ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{spans.Count} spans in {watched.TotalSeconds} s; by service and scope: " +
            string.Join(", ", spans.GroupBy(span => $"{span.Service}/{span.Scope}").Select(group => $"{group.Key} {group.Count()}")));
        foreach (var runId in runIds)
        {
            var run = Assert.Single(spans, span => span.Name == "agent.run" && RunIdOf(span) == runId);
            Assert.Single(spans, span => span.TraceId == run.TraceId && span.ParentSpanId.Length == 0
                && span.Attributes.TryGetValue("url.path", out var path) && (string)path == "/runs");
        }

        Assert.DoesNotContain(spans, span => span.Scope.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal)
            || span.Scope.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal)
            || span.Name.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal));
        // A viewer trace starts with a request to the viewer or with the viewer's own call to the api, nothing else.
        var viewerRoots = spans.Where(span => span.Service == "logviewer" && span.ParentSpanId.Length == 0).ToList();
        Assert.All(viewerRoots, root => Assert.True(
            (root.Scope == "Microsoft.AspNetCore" && root.Attributes.ContainsKey("url.path")) || IsViewerCallToTheApi(root),
            $"a viewer trace starts with '{root.Name}' ({root.Scope}), not a request"));
    }

    // The viewer's HTTP client asking the api for something (the run page reads the agents' steps).
    private static bool IsViewerCallToTheApi(ExportedSpan span) =>
        span.Service == "logviewer" && span.Scope == "System.Net.Http"
        && span.Attributes.TryGetValue("url.full", out var url) && ((string)url).Contains("/agents", StringComparison.Ordinal);

//#endif
    // The api's listing requests exported so far, in the order they arrived.
    private static List<ExportedSpan> Listings(OtlpTraceReceiver receiver) =>
        receiver.Spans.Where(span => span.Service == "api"
            && span.Attributes.TryGetValue("url.path", out var path) && (string)path == "/runs"
            && span.Attributes.TryGetValue("http.request.method", out var method) && (string)method == "GET").ToList();

    // A listing request after the first `before` has been exported with its Valkey commands: the exporter works, and every
    // span that ended before that request did is in too (spans leave in the order they end).
    private static Task WaitForListingAsync(OtlpTraceReceiver receiver, int before) =>
        Poll.UntilAsync(
            () => Task.FromResult(Listings(receiver).Skip(before).Any(listing => receiver.Spans.Any(span => IsValkeyCommand(span) && span.TraceId == listing.TraceId))),
            Timeout, "the listing's request and its Valkey commands are exported");

    private static bool IsValkeyCommand(ExportedSpan span) =>
        span.Attributes.ContainsKey("db.system") || span.Attributes.ContainsKey("db.system.name");

    private static string? RunIdOf(ExportedSpan span) =>
        span.Attributes.TryGetValue("agent.run_id", out var runId) ? runId as string : null;
}
