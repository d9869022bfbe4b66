using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentAspire.AgentState;

namespace AgentAspire.App.Tests;

/// <summary>
/// Replays and comparisons through the api of the running app: a replay of an unchanged agent is identical and costs
/// no model call; a batch fills in as its replays end; what cannot be replayed is refused and writes nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReplayApiTests(AppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body)
    {
        using var response = await fixture.Api.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }

    private async Task<string> CompletedRunAsync(string agent, object input)
    {
        var (status, body) = await PostAsync("/runs", new { agent, input });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var runId = body.GetProperty("runId").GetString()!;
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
        return runId;
    }

    [Fact]
    public async Task A_replay_of_an_unchanged_agent_is_identical_and_pays_for_nothing()
    {
        var original = await CompletedRunAsync("research-loop", new { question = "What does a fence do?" });

        var (status, accepted) = await PostAsync($"/runs/{original}/replay", new { mode = "recorded" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var replay = accepted.GetProperty("runId").GetString()!;
        var run = await fixture.WaitForStatusAsync(replay, RunTimeout, "complete", "diverged", "failed");

        Assert.Equal("complete", run.GetProperty("status").GetString());
        Assert.Equal(original, run.GetProperty("replayOf").GetString());
        Assert.Equal(0, run.GetProperty("usage").GetProperty("modelCalls").GetInt32());
        var replays = await fixture.Api.GetFromJsonAsync<JsonElement>("/runs?replays=only&limit=200", TestContext.Current.CancellationToken);
        Assert.Contains(replays.GetProperty("items").EnumerateArray(), item => item.GetProperty("runId").GetString() == replay);
        Assert.All(replays.GetProperty("items").EnumerateArray(), item => Assert.NotEqual(JsonValueKind.Null, item.GetProperty("replayOf").ValueKind));
        var own = await fixture.Api.GetFromJsonAsync<JsonElement>("/runs?replays=exclude&limit=200", TestContext.Current.CancellationToken);
        Assert.Contains(own.GetProperty("items").EnumerateArray(), item => item.GetProperty("runId").GetString() == original);
        Assert.DoesNotContain(own.GetProperty("items").EnumerateArray(), item => item.GetProperty("runId").GetString() == replay);
        var comparison = await fixture.Api.GetFromJsonAsync<JsonElement>($"/runs/{original}/compare/{replay}", TestContext.Current.CancellationToken);
        Assert.Equal("identical", comparison.GetProperty("outcome").GetString());
        Assert.All(comparison.GetProperty("steps").EnumerateArray(), step => Assert.True(step.GetProperty("equal").GetBoolean()));
    }

    [Fact]
    public async Task A_batch_replays_what_its_filter_matches_and_fills_in_as_they_end()
    {
        var since = DateTimeOffset.UtcNow;
        var first = await CompletedRunAsync("research", new { question = "What is a lease?" });
        var second = await CompletedRunAsync("research", new { question = "What is a checkpoint?" });

        var (tooMany, refusal) = await PostAsync("/replays", new { agent = "research", since, limit = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        Assert.Contains("matches more than 1 runs", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (status, batch) = await PostAsync("/replays", new { agent = "research", since, limit = 10 });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var batchId = batch.GetProperty("batchId").GetString()!;
        JsonElement summary = default;
        await Poll.UntilAsync(async () =>
            {
                summary = await fixture.Api.GetFromJsonAsync<JsonElement>($"/replays/{batchId}", TestContext.Current.CancellationToken);
                return summary.GetProperty("done").GetBoolean();
            }, RunTimeout, $"batch {batchId} to end", () => summary.ToString());

        // Every run of the window is replayed (ours, and any an earlier test's run completed into it), all identical.
        var replays = summary.GetProperty("replays").EnumerateArray().ToList();
        Assert.Superset(new HashSet<string> { first, second }, replays.Select(item => item.GetProperty("original").GetString()!).ToHashSet());
        Assert.Equal(replays.Count, summary.GetProperty("identical").GetInt32());
        Assert.All(replays, item => Assert.StartsWith($"/runs/{item.GetProperty("original").GetString()}/compare/", item.GetProperty("compare").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_still_going_or_whose_record_expired_is_refused_with_a_409()
    {
        var (_, started) = await PostAsync("/runs", new { agent = "research", input = new { question = "Still going?", stepDelayMs = 4000 } });
        var running = started.GetProperty("runId").GetString()!;
        var (status, problem) = await PostAsync($"/runs/{running}/replay", new { });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("only an ended run", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var complete = await CompletedRunAsync("research-loop", new { question = "Expired?" });
        Assert.True(await fixture.Database.KeyDeleteAsync(AgentKeys.Calls(complete)));
        (status, problem) = await PostAsync($"/runs/{complete}/replay", new { });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("has expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await fixture.WaitForStatusAsync(running, RunTimeout, "complete");
    }
}
