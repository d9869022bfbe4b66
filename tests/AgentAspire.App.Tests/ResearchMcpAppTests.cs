using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentAspire.App.Tests;

/// <summary>
/// The demo MCP server as the AppHost runs it (<c>research-tools</c>) and the worker reaches it: <c>research-mcp</c>,
/// with the offline model (which calls every tool it is offered), takes its tools over MCP and logs each call with
/// the server.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ResearchMcpAppTests(AppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Research_mcp_completes_with_the_tools_of_the_research_tools_resource_each_call_naming_the_server()
    {
        using var response = await fixture.Api.PostAsJsonAsync("/runs",
            new { agent = "research-mcp", input = new { question = "What does the tool cache do?" } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!;

        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "complete", "failed");

        Assert.Equal("complete", run.GetProperty("status").GetString());
        var log = await fixture.Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?count=1000", TestContext.Current.CancellationToken);
        var calls = log.GetProperty("entries").EnumerateArray()
            .Where(entry => entry.GetProperty("action").GetString() == "tool_call")
            .Select(entry => entry.GetProperty("details"))
            .ToList();
        Assert.Equal(["web_search", "text_stats", "lookup_glossary"], calls.Select(call => call.GetProperty("tool").GetString()));
        Assert.All(calls, call => Assert.Equal("research", call.GetProperty("server").GetString()));
        Assert.All(calls, call => Assert.StartsWith("tool:cache:mcp.research.", call.GetProperty("key").GetString(), StringComparison.Ordinal));
    }
}
