using System.Net;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentAspire.App.Tests;

/// <summary>The api's MCP face at <c>/mcp</c>, driven by the MCP SDK's own client against the running app.</summary>
[Collection(AppCollection.Name)]
public sealed class McpTests(AppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_mcp_client_drives_a_run_from_start_through_approval_to_completion()
    {
        await using var client = await ConnectAsync(fixture.CreateApiClient(fixture.ApiKey));

        var tools = (await client.ListToolsAsync(cancellationToken: Cancel)).Select(tool => tool.Name).Order();
        Assert.Equal(["approve_run", "cancel_run", "get_run", "list_agents", "read_run_log", "reject_run", "start_run"], tools);
        var agents = await CallAsync(client, "list_agents", []);
        Assert.Contains(agents.EnumerateArray(), agent => agent.GetProperty("name").GetString() == "research");

        var accepted = await CallAsync(client, "start_run", new()
        {
            ["agent"] = "research",
            ["input"] = JsonSerializer.SerializeToElement(new { question = "Should this answer be published?", requireApproval = true }),
        });
        var runId = accepted.GetProperty("runId").GetString()!;
        Assert.Equal("queued", accepted.GetProperty("status").GetString());

        var waiting = await WaitForStatusAsync(client, runId, "waiting");
        Assert.False(string.IsNullOrEmpty(waiting.GetProperty("waitingFor").GetProperty("prompt").GetString()));
        var approved = await CallAsync(client, "approve_run", new() { ["runId"] = runId, ["comment"] = "ship it" });
        Assert.Equal("queued", approved.GetProperty("status").GetString());

        var complete = await WaitForStatusAsync(client, runId, "complete");
        Assert.Equal(4, complete.GetProperty("steps").GetArrayLength());
        var log = await CallAsync(client, "read_run_log", new() { ["runId"] = runId, ["count"] = 1000 });
        Assert.Equal("complete", log.GetProperty("entries").EnumerateArray().Last().GetProperty("action").GetString());

        // The same log, read as the run's resource.
        var resource = await client.ReadResourceAsync($"agentaspire://runs/{runId}/log", cancellationToken: Cancel);
        var text = Assert.IsType<TextResourceContents>(Assert.Single(resource.Contents));
        Assert.Equal(log.GetProperty("entries").GetArrayLength(), JsonDocument.Parse(text.Text).RootElement.GetProperty("entries").GetArrayLength());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key")]
    public async Task The_mcp_endpoint_refuses_a_client_without_the_key(string? apiKey)
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(async () => await ConnectAsync(fixture.CreateApiClient(apiKey)));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Bad_arguments_are_tool_errors_that_name_the_problem_and_write_nothing()
    {
        await using var client = await ConnectAsync(fixture.CreateApiClient(fixture.ApiKey));
        var before = await fixture.SnapshotAsync();

        Assert.Contains("Unknown agent 'nope'", await ToolErrorAsync(client, "start_run", new() { ["agent"] = "nope", ["input"] = "x" }));
        Assert.Contains("400 The input is not valid for agent 'research'",
            await ToolErrorAsync(client, "start_run", new() { ["agent"] = "research", ["input"] = JsonSerializer.SerializeToElement(new { question = 42 }) }));
        Assert.Contains("Malformed Idempotency-Key",
            await ToolErrorAsync(client, "start_run", new() { ["agent"] = "research", ["input"] = "x", ["idempotencyKey"] = "two words" }));
        Assert.Contains("400 Malformed run id", await ToolErrorAsync(client, "get_run", new() { ["runId"] = "no such/run" }));
        Assert.Contains("404 Run not found", await ToolErrorAsync(client, "get_run", new() { ["runId"] = "run_missing" }));
        Assert.Contains("'count' must be between 1 and 1000", await ToolErrorAsync(client, "read_run_log", new() { ["runId"] = "run_missing", ["count"] = 0 }));
        Assert.Contains("404 Run not found", await ToolErrorAsync(client, "cancel_run", new() { ["runId"] = "run_missing" }));
        Assert.Contains("'comment' must be at most", await ToolErrorAsync(client, "approve_run", new() { ["runId"] = "run_missing", ["comment"] = new string('c', 2001) }));

        before.AssertUnchanged(await fixture.SnapshotAsync());
    }

    private static async Task<McpClient> ConnectAsync(HttpClient api)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(api.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            api, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, cancellationToken: Cancel);
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Cancel);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.False(result.IsError ?? false, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> ToolErrorAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Cancel);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(result.IsError, $"{tool} answered without an error: {text}");
        return text;
    }

    private static async Task<JsonElement> WaitForStatusAsync(McpClient client, string runId, string status)
    {
        JsonElement run = default;
        await Poll.UntilAsync(async () =>
            {
                run = await CallAsync(client, "get_run", new() { ["runId"] = runId });
                return run.GetProperty("status").GetString() == status;
            },
            RunTimeout, $"run {runId} to reach {status} through get_run", () => $"Last seen: {run}");
        return run;
    }
}
