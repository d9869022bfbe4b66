using System.Net.Http.Json;
using System.Text.Json;

namespace AgentAspire.App.Tests;

/// <summary>
/// The whole app with <c>ConnectionStrings:llm</c> pointing at a model server the test starts: a research run asks
/// the real OpenAI-compatible client, over HTTP, once per step that calls the model, and answers with what it said.
/// </summary>
public sealed class ModelServerAppTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_research_run_asks_the_configured_model_server_once_per_model_step_and_answers_with_its_reply()
    {
        await using var server = TestModelServer.Start();
        await using var app = await RunningApp.StartAsync([$"--ConnectionStrings:llm={server.OpenAIConnectionString(model: "served-model")}"]);

        using var started = await app.Api.PostAsJsonAsync("/runs",
            new { agent = "research", input = new { question = "How do Valkey streams keep an activity log?" } }, Cancel);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("runId").GetString()!;
        JsonElement run = default;
        await Poll.UntilAsync(async () =>
            {
                run = await app.Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}", Cancel);
                return run.GetProperty("status").GetString() is "complete" or "failed";
            },
            RunTimeout, $"run {runId} to end", () => $"Last seen: {run}");

        Assert.Equal("complete", run.GetProperty("status").GetString());
        // plan, analyze and respond each ask the model once; search only calls its tool.
        var requests = server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, request =>
        {
            Assert.Equal("served-model", request.Model);
            Assert.Equal("Bearer test-key", request.Authorization);
            Assert.StartsWith("Question: How do Valkey streams keep an activity log?", request.LastUserText, StringComparison.Ordinal);
        });
        var answer = run.GetProperty("steps").EnumerateArray().Last().GetProperty("result");
        Assert.Equal(TestModelServer.DefaultReply(requests[2]).Text, answer.GetProperty("answer").GetString());
        Assert.Equal("served-model", answer.GetProperty("model").GetString());
    }
}
