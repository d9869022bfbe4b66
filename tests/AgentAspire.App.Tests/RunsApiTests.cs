using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using AgentAspire.AgentState;

namespace AgentAspire.App.Tests;

/// <summary>The runs and agents endpoints against the running app: api, worker and Valkey.</summary>
[Collection(AppCollection.Name)]
public sealed class RunsApiTests(AppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private static readonly string[] ResearchSteps = ["plan", "search", "analyze", "respond"];

    private HttpClient Api => fixture.Api;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Agents_lists_the_research_agents_with_their_kind_steps_and_own_example_input()
    {
        var agents = await Api.GetFromJsonAsync<JsonElement>("/agents", Cancel);

        var research = Assert.Single(agents.EnumerateArray(), a => a.GetProperty("name").GetString() == "research");
        Assert.Equal("steps", research.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrWhiteSpace(research.GetProperty("description").GetString()));
        Assert.Equal(ResearchSteps, research.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        var workflow = Assert.Single(agents.EnumerateArray(), a => a.GetProperty("name").GetString() == "research-workflow");
        Assert.Equal("workflow", workflow.GetProperty("kind").GetString());
        Assert.Equal([.. ResearchSteps, "output"], workflow.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));

        // Each agent declares its own example, and the api accepts it as that agent's input.
        var examples = new[] { research, workflow }.Select(agent => agent.GetProperty("exampleInput")).ToArray();
        Assert.NotEqual(examples[0].GetProperty("question").GetString(), examples[1].GetProperty("question").GetString());
        foreach (var agent in new[] { research, workflow })
        {
            using var started = await Api.PostAsJsonAsync("/runs", new { agent = agent.GetProperty("name").GetString(), input = agent.GetProperty("exampleInput") }, Cancel);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }
    }

    [Fact]
    public async Task Start_answers_202_with_location_and_get_shows_the_run_queued_or_later()
    {
        using var response = await Api.PostAsJsonAsync("/runs", new { agent = "research", input = new { question = "What is a fence token?" } }, Cancel);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var runId = accepted.GetProperty("runId").GetString()!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/runs/{runId}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        var run = await fixture.GetRunAsync(runId);
        Assert.Equal("research", run.GetProperty("agent").GetString());
        Assert.Contains(run.GetProperty("status").GetString(), new[] { "queued", "in_progress", "complete" });
        Assert.Equal("What is a fence token?", run.GetProperty("input").GetProperty("question").GetString());
        Assert.True(run.GetProperty("createdAt").TryGetDateTimeOffset(out _));
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
    }

    [Fact]
    public async Task A_plain_string_input_is_the_question_and_the_run_completes()
    {
        using var response = await Api.PostAsJsonAsync("/runs", new { agent = "research", input = "How do streams work?" }, Cancel);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var runId = accepted.GetProperty("runId").GetString()!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
        var run = await fixture.GetRunAsync(runId);
        Assert.Equal("How do streams work?", run.GetProperty("input").GetString());
        var answer = run.GetProperty("steps").EnumerateArray().Last().GetProperty("result");
        Assert.Equal("How do streams work?", answer.GetProperty("question").GetString());
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_start_one_run()
    {
        var key = $"same-{Guid.NewGuid():N}";

        var first = await fixture.StartRunAsync(new { question = "What is XAUTOCLAIM?", stepDelayMs = 0 }, key);
        // The same body with its properties in another order is the same request.
        var second = await fixture.StartRunAsync(new { stepDelayMs = 0, question = "What is XAUTOCLAIM?" }, key);

        Assert.Equal(first, second);
        Assert.Single(await fixture.KeysAsync($"agent:state:{{{first}}}"));
        var created = (await Api.GetFromJsonAsync<JsonElement>($"/runs/{first}/log", Cancel))
            .GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "queued");
        Assert.Equal(1, created);
        await fixture.WaitForStatusAsync(first, RunTimeout, "complete");
    }

    [Fact]
    public async Task Same_idempotency_key_with_another_body_is_a_conflict()
    {
        var key = $"other-{Guid.NewGuid():N}";
        var runId = await fixture.StartRunAsync(new { question = "first question" }, key);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/runs")
        {
            Content = JsonContent.Create(new { agent = "research", input = new { question = "second question" } }),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await Api.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var run = await fixture.GetRunAsync(runId);
        Assert.Equal("first question", run.GetProperty("input").GetProperty("question").GetString());
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
    }

    [Fact]
    public async Task Listing_filters_by_status_and_agent_and_pages_with_a_cursor()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await fixture.StartRunAsync(new { question = $"listing question {i}" }));
        }

        foreach (var id in ids)
        {
            await fixture.WaitForStatusAsync(id, RunTimeout, "complete");
        }

        var seen = new List<string>();
        var summaries = new Dictionary<string, string?>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Api.GetFromJsonAsync<JsonElement>(
                $"/runs?status=complete&agent=research&limit=2{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", Cancel);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 0, 2);
            Assert.All(items, item => Assert.Equal(("complete", "research"), (item.GetProperty("status").GetString(), item.GetProperty("agent").GetString())));
            seen.AddRange(items.Select(item => item.GetProperty("runId").GetString()!));
            foreach (var item in items)
            {
                summaries[item.GetProperty("runId").GetString()!] = item.GetProperty("inputSummary").GetString();
            }

            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Null(cursor);
        Assert.True(pages >= 2, "Three runs at two a page take at least two pages.");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(ids.ToHashSet(), seen.ToHashSet());
        Assert.Equal(ids.Select((_, i) => $"listing question {i}"), ids.Select(id => summaries[id]));
        var queued = await Api.GetFromJsonAsync<JsonElement>("/runs?status=queued", Cancel);
        Assert.DoesNotContain(queued.GetProperty("items").EnumerateArray(), item => ids.Contains(item.GetProperty("runId").GetString()!));
    }

    [Fact]
    public async Task Log_pages_cover_the_whole_log_in_order()
    {
        var runId = await fixture.StartRunAsync(new { question = "How are tool results cached?" });
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
        var whole = (await Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?count=1000", Cancel))
            .GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

        var paged = new List<string>();
        var from = "0";
        for (var page = 0; page < 100; page++)
        {
            var log = await Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?from={from}&count=2", Cancel);
            var entries = log.GetProperty("entries").EnumerateArray().ToList();
            if (entries.Count == 0)
            {
                break;
            }

            Assert.All(entries, entry => Assert.Equal(JsonValueKind.Object, entry.GetProperty("details").ValueKind));
            paged.AddRange(entries.Select(e => e.GetProperty("id").GetString()!));
            from = log.GetProperty("next").GetString()!;
        }

        Assert.True(whole.Count > 2, $"A complete run logs more than two entries, got {whole.Count}.");
        Assert.Equal(whole, paged);
        Assert.Equal("queued", (await Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?count=1", Cancel))
            .GetProperty("entries")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Run_completes_end_to_end_with_every_step_result()
    {
        var runId = await fixture.StartRunAsync(new { question = "How does a worker resume a run after a crash?" });

        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "complete", "failed");

        Assert.Equal("complete", run.GetProperty("status").GetString());
        Assert.Equal(4, run.GetProperty("currentStep").GetInt32());
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(ResearchSteps, steps.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 3, 4], steps.Select(s => s.GetProperty("step").GetInt32()));
        Assert.All(steps, s => Assert.NotEqual(JsonValueKind.String, s.GetProperty("result").ValueKind));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Delete_removes_every_key_of_the_run_then_answers_404()
    {
        var runId = await fixture.StartRunAsync(new { question = "What does DEL remove?" });
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
        Assert.NotEmpty(await fixture.KeysAsync($"*{{{runId}}}*"));

        using var deleted = await Api.DeleteAsync($"/runs/{runId}", Cancel);
        using var again = await Api.DeleteAsync($"/runs/{runId}", Cancel);
        using var get = await Api.GetAsync($"/runs/{runId}", Cancel);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await fixture.KeysAsync($"*{{{runId}}}*"));
        foreach (var index in await fixture.KeysAsync("agent:index*"))
        {
            Assert.Null(await fixture.Database.SortedSetScoreAsync(index, runId));
        }

        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Events_stream_the_log_live_and_resume_after_last_event_id()
    {
        var runId = await fixture.StartRunAsync(new { question = "What is pub/sub for?", stepDelayMs = 200 });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(RunTimeout);

        var events = await ReadEventsAsync(runId, null, e => e.EventType == "complete", timeout.Token);

        Assert.Equal("queued", events[0].EventType);
        Assert.Equal("complete", events[^1].EventType);
        Assert.All(events, e => Assert.Equal(e.EventId, JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetString()));
        var log = (await Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?count=1000", Cancel)).GetProperty("entries")
            .EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(log.Take(events.Count), events.Select(e => e.EventId));

        var resumed = await ReadEventsAsync(runId, events[0].EventId, _ => true, timeout.Token);
        Assert.Equal(events[1].EventId, resumed[0].EventId);
    }

    [Fact]
    public async Task Approving_twice_queues_once_and_the_second_is_a_conflict()
    {
        var runId = await fixture.StartRunAsync(new { question = "Should this be published?", requireApproval = true });
        var waiting = await fixture.WaitForStatusAsync(runId, RunTimeout, "waiting");
        var pending = waiting.GetProperty("waitingFor");
        Assert.Equal(waiting.GetProperty("currentStep").GetInt32() + 1, pending.GetProperty("step").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(pending.GetProperty("prompt").GetString()));

        using var first = await Api.PostAsJsonAsync($"/runs/{runId}/approve", new { approved = true, comment = "ship it" }, Cancel);
        using var second = await Api.PostAsJsonAsync($"/runs/{runId}/approve", new { approved = true, comment = "again" }, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
        var approval = Assert.Single(run.GetProperty("approvals").EnumerateArray());
        Assert.True(approval.GetProperty("decision").GetProperty("approved").GetBoolean());
    }

    [Fact]
    public async Task Resume_of_a_running_run_is_a_conflict()
    {
        var runId = await fixture.StartRunAsync(new { question = "What is a lease?", stepDelayMs = 3000 });
        await fixture.WaitForStatusAsync(runId, RunTimeout, "in_progress");

        using var resume = await Api.PostAsync($"/runs/{runId}/resume", null, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, resume.StatusCode);
        Assert.Contains("in_progress", (await resume.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString());
        using var cancel = await Api.PostAsync($"/runs/{runId}/cancel", null, Cancel);
        await fixture.WaitForStatusAsync(runId, RunTimeout, "cancelled");
    }

    [Fact]
    public async Task Fork_of_a_fork_keeps_the_steps_before_from_step()
    {
        var original = await fixture.StartRunAsync(new { question = "How do forks work?" });
        var source = await fixture.WaitForStatusAsync(original, RunTimeout, "complete");

        var fork = await ForkAsync(original, 3);
        var forked = await fixture.WaitForStatusAsync(fork, RunTimeout, "complete");
        var forkOfFork = await ForkAsync(fork, 2);
        var last = await fixture.WaitForStatusAsync(forkOfFork, RunTimeout, "complete");

        Assert.Equal(original, forked.GetProperty("forkedFrom").GetString());
        Assert.Equal(fork, last.GetProperty("forkedFrom").GetString());
        Assert.Equal(4, last.GetProperty("currentStep").GetInt32());
        // Kept steps are carried unchanged: step 1 of every generation is the original's.
        var firstResult = source.GetProperty("steps")[0].GetProperty("result").GetRawText();
        Assert.Equal(firstResult, forked.GetProperty("steps")[0].GetProperty("result").GetRawText());
        Assert.Equal(firstResult, last.GetProperty("steps")[0].GetProperty("result").GetRawText());
        Assert.Equal(source.GetProperty("steps")[1].GetProperty("result").GetRawText(), forked.GetProperty("steps")[1].GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task Cancel_while_a_step_runs_ends_cancelled()
    {
        var runId = await fixture.StartRunAsync(new { question = "How long is a step?", stepDelayMs = 5000 });
        await fixture.WaitForStatusAsync(runId, RunTimeout, "in_progress");

        using var cancel = await Api.PostAsync($"/runs/{runId}/cancel", null, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await fixture.WaitForStatusAsync(runId, RunTimeout, "cancelled");
        // The worker lets go of the run and commits nothing more.
        await Poll.UntilAsync(async () => (await fixture.KeysAsync($"agent:lease:{{{runId}}}")).Count == 0, RunTimeout, $"the lease of run {runId} to be released");
        var run = await fixture.GetRunAsync(runId);
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("currentStep").GetInt32() < 4);
    }

    [Fact]
    public async Task Cancel_of_a_queued_run_means_it_never_starts()
    {
        // Arrange: no worker, so the run stays queued.
        await fixture.KillWorkerAsync();
        var runId = await fixture.StartRunAsync(new { question = "Will this ever run?" });

        // Act
        using var cancel = await Api.PostAsync($"/runs/{runId}/cancel", null, Cancel);
        await fixture.StartWorkerAsync();

        // Assert: once a later run has gone through the queue, the cancelled one was passed over.
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var later = await fixture.StartRunAsync(new { question = "Is the worker back?" });
        await fixture.WaitForStatusAsync(later, RunTimeout, "complete");
        var run = await fixture.GetRunAsync(runId);
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal(0, run.GetProperty("currentStep").GetInt32());
        Assert.Equal(["queued", "cancelled"], await ActionsAsync(runId));
    }

    [Fact]
    public async Task A_step_that_fails_twice_is_retried_and_the_run_completes()
    {
        var runId = await fixture.StartRunAsync(new { question = "Does a retry help?", failSearchAttempts = 2 });

        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "complete", "failed");

        Assert.Equal("complete", run.GetProperty("status").GetString());
        Assert.Equal(ResearchSteps, run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var actions = await ActionsAsync(runId);
        Assert.Equal(2, actions.Count(action => action == "step_retry"));
        Assert.Single(actions, action => action == "search");
    }

    [Fact]
    public async Task A_step_that_always_fails_ends_failed_and_dead_lettered_without_looping()
    {
        var runId = await fixture.StartRunAsync(new { question = "Does it give up?", failSearchAttempts = 100 });

        var run = await fixture.WaitForStatusAsync(runId, RunTimeout, "failed", "complete");

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("fails on purpose", run.GetProperty("error").GetString());
        Assert.Equal(1, run.GetProperty("currentStep").GetInt32());
        var actions = await ActionsAsync(runId);
        Assert.Equal(3, actions.Count(action => action == "step_retry"));
        Assert.Single(actions, action => action == "started");
        Assert.Equal("failed", actions[^1]);

        // Dead-lettered, and gone from the queue: nothing delivers it again.
        var dead = await fixture.Database.StreamRangeAsync(AgentKeys.DeadLetters);
        Assert.Contains(dead, entry => entry["run_id"] == runId);
        var queued = await fixture.Database.StreamRangeAsync(AgentKeys.RunQueue(AgentKeys.ShardOf(runId, new AgentStateOptions().QueueShards)));
        Assert.DoesNotContain(queued, entry => entry["run_id"] == runId);
        var later = await fixture.StartRunAsync(new { question = "Is the worker still busy with it?" });
        await fixture.WaitForStatusAsync(later, RunTimeout, "complete");
        Assert.Equal(actions, await ActionsAsync(runId));
    }

    private async Task<List<string?>> ActionsAsync(string runId) =>
        (await Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?count=1000", Cancel)).GetProperty("entries")
            .EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();

    private async Task<string> ForkAsync(string runId, int fromStep)
    {
        using var response = await Api.PostAsJsonAsync($"/runs/{runId}/fork", new { fromStep }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var forkId = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("runId").GetString()!;
        Assert.Equal($"/runs/{forkId}", response.Headers.Location?.OriginalString);
        return forkId;
    }

    private async Task<List<SseItem<string>>> ReadEventsAsync(string runId, string? lastEventId, Func<SseItem<string>, bool> until, CancellationToken cancellationToken)
    {
        using var response = await EventStream.OpenAsync(Api, runId, lastEventId, cancellationToken);
        var (events, _) = await EventStream.ReadAsync(response, until, cancellationToken);
        return events;
    }
}
