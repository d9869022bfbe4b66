using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentAspire.App.Tests;

/// <summary>
/// Tokens and cost through the API of the running app, with the offline model (which counts words as tokens and calls
/// every tool it is offered): the run's totals and each step's are the sums of its <c>model_call</c> entries, the list
/// shows them, and a budget pauses a run until a person raises it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ModelUsageApiTests(AppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private async Task<string> StartAsync(object body)
    {
        using var response = await fixture.Api.PostAsJsonAsync("/runs", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("runId").GetString()!;
    }

    private async Task<List<JsonElement>> ModelCallsAsync(string runId)
    {
        var log = await fixture.Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?count=1000", TestContext.Current.CancellationToken);
        return log.GetProperty("entries").EnumerateArray()
            .Where(entry => entry.GetProperty("action").GetString() == "model_call")
            .ToList();
    }

    private static long Sum(IEnumerable<JsonElement> calls, string field) => calls.Sum(call => call.GetProperty("details").GetProperty(field).GetInt64());

    [Fact]
    public async Task A_run_s_usage_and_each_step_s_are_the_sums_of_its_model_call_entries()
    {
        var runId = await StartAsync(new { agent = "research-loop", input = new { question = "How does a run resume after a crash?" } });
        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");

        var calls = await ModelCallsAsync(runId);
        Assert.Equal(4, calls.Count);
        var usage = run.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("modelCalls").GetInt32());
        Assert.Equal(Sum(calls, "inputTokens"), usage.GetProperty("inputTokens").GetInt64());
        Assert.Equal(Sum(calls, "outputTokens"), usage.GetProperty("outputTokens").GetInt64());
        Assert.True(usage.GetProperty("inputTokens").GetInt64() > 0);
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal(usage.GetRawText(), step.GetProperty("usage").GetRawText());
        Assert.Equal(usage.GetRawText(), Assert.Single(run.GetProperty("stepUsage").EnumerateArray()).GetProperty("usage").GetRawText());

        var list = await fixture.Api.GetFromJsonAsync<JsonElement>("/runs?agent=research-loop&limit=200", TestContext.Current.CancellationToken);
        var listed = list.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("runId").GetString() == runId);
        Assert.Equal(usage.GetRawText(), listed.GetProperty("usage").GetRawText());
    }

    [Fact]
    public async Task Every_model_call_of_the_research_agent_s_steps_is_counted_too()
    {
        var runId = await StartAsync(new { agent = "research", input = new { question = "What is a fence?" } });
        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");

        var calls = await ModelCallsAsync(runId);
        Assert.NotEmpty(calls);
        Assert.Equal(calls.Count, run.GetProperty("usage").GetProperty("modelCalls").GetInt32());
        foreach (var stepUsage in run.GetProperty("stepUsage").EnumerateArray())
        {
            var number = stepUsage.GetProperty("step").GetInt32();
            var ofStep = calls.Where(call => call.GetProperty("step").GetInt32() == number).ToList();
            Assert.Equal(Sum(ofStep, "inputTokens"), stepUsage.GetProperty("usage").GetProperty("inputTokens").GetInt64());
        }
    }

    [Fact]
    public async Task A_budget_pauses_the_run_with_its_spend_and_an_approval_with_a_higher_budget_completes_it()
    {
        var runId = await StartAsync(new { agent = "research-loop", input = new { question = "How does a run resume after a crash?" }, budget = new { tokens = 30 } });
        var waiting = await fixture.WaitForStatusAsync(runId, RunTimeout, "waiting");

        var prompt = waiting.GetProperty("waitingFor").GetProperty("prompt").GetString()!;
        Assert.Contains("budget is 30 tokens", prompt, StringComparison.Ordinal);
        Assert.Equal(30, waiting.GetProperty("budget").GetProperty("tokens").GetInt64());
        // Never more than one call past the budget: the call that crossed it.
        var calls = await ModelCallsAsync(runId);
        var beforeLast = calls.SkipLast(1).Sum(call => call.GetProperty("details").GetProperty("inputTokens").GetInt64() + call.GetProperty("details").GetProperty("outputTokens").GetInt64());
        Assert.True(beforeLast < 30, $"the run spent {beforeLast} tokens before its last call, past its budget of 30");

        using var approve = await fixture.Api.PostAsJsonAsync($"/runs/{runId}/approve", new { approved = true, budget = new { tokens = 1_000_000 } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");

        Assert.Equal(1_000_000, run.GetProperty("budget").GetProperty("tokens").GetInt64());
        Assert.Equal(4, (await ModelCallsAsync(runId)).Count(call => !call.GetProperty("details").GetProperty("replayed").GetBoolean()));
    }
}
