using System.Text.Json;
using AgentAspire.Agents.Research;
using AgentAspire.Agents.Research.Tools;
using Microsoft.Extensions.Time.Testing;

namespace AgentAspire.Agents.Tests;

public sealed class ResearchAgentTests
{
    private const string StreamsQuestion = """{ "question": "How do Valkey streams keep an activity log?" }""";

    [Fact]
    public void Declares_its_name_and_the_four_steps_in_order()
    {
        var agent = TestAgents.Research(TimeProvider.System);

        Assert.Equal("research", agent.Name);
        Assert.Equal(["plan", "search", "analyze", "respond"], agent.Steps.Select(step => step.Name));
    }

    [Fact]
    public async Task Runs_plan_search_analyze_respond_and_checkpoints_each_result_shape()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), StreamsQuestion);

        await runner.RunAllAsync();

        var plan = runner.Result("plan");
        Assert.Equal("How do Valkey streams keep an activity log?", plan.GetProperty("question").GetString());
        Assert.Equal(["valkey streams keep", "activity log"], plan.GetProperty("queries").EnumerateArray().Select(query => query.GetString()));
        Assert.False(string.IsNullOrWhiteSpace(plan.GetProperty("plan").GetString()));

        var search = runner.Result("search");
        var hits = search.GetProperty("hits").EnumerateArray().ToArray();
        Assert.NotEmpty(hits);
        Assert.Contains(hits, hit => hit.GetProperty("url").GetString() == "docs/valkey/streams");
        Assert.All(hits, hit => Assert.Equal(
            ["query", "title", "url", "snippet", "score"], hit.EnumerateObject().Select(property => property.Name)));

        var analyze = runner.Result("analyze");
        Assert.True(analyze.GetProperty("stats").GetProperty("wordCount").GetInt32() > 0);
        Assert.NotEmpty(analyze.GetProperty("stats").GetProperty("topKeywords").EnumerateArray());
        Assert.False(string.IsNullOrWhiteSpace(analyze.GetProperty("analysis").GetString()));

        var respond = runner.Result("respond");
        Assert.False(string.IsNullOrWhiteSpace(respond.GetProperty("answer").GetString()));
        Assert.Equal("offline", respond.GetProperty("model").GetString());
        Assert.Contains(respond.GetProperty("glossary").EnumerateArray(), entry => entry.GetProperty("term").GetString() == "stream");
        Assert.Equal(JsonValueKind.Null, respond.GetProperty("approval").ValueKind);
    }

    [Fact]
    public async Task Calls_each_tool_through_the_tool_runner_with_the_earlier_step_results()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), StreamsQuestion);

        await runner.RunAllAsync();

        var plannedQueries = runner.Result("plan").GetProperty("queries").EnumerateArray().Select(query => query.GetString());
        Assert.Equal(
            [.. plannedQueries.Select(_ => WebSearchTool.ToolName), TextStatsTool.ToolName, GlossaryTool.ToolName],
            runner.Tools.Calls.Select(call => call.Tool));
        Assert.Equal(plannedQueries, runner.Tools.Calls.Where(call => call.Tool == WebSearchTool.ToolName).Select(call => call.Args.GetProperty("query").GetString()));
        var searchedUrls = runner.Result("search").GetProperty("hits").EnumerateArray().Select(hit => hit.GetProperty("url").GetString());
        Assert.Equal(searchedUrls, runner.Result("analyze").GetProperty("sources").EnumerateArray().Select(url => url.GetString()));
        Assert.Equal(searchedUrls, runner.Result("respond").GetProperty("sources").EnumerateArray().Select(url => url.GetString()));
    }

    [Fact]
    public async Task Search_runs_the_queries_of_the_checkpointed_plan_rather_than_recomputing_them()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), StreamsQuestion);
        runner.Checkpoint["plan"] = JsonSerializer.Serialize(new ResearchPlan("anything", ["cache stampede lock"], "plan"), AgentJson.Options);

        await runner.RunStepAsync(2);

        var call = Assert.Single(runner.Tools.Calls);
        Assert.Equal("cache stampede lock", call.Args.GetProperty("query").GetString());
        Assert.Equal("docs/caching/stampede", runner.Result("search").GetProperty("hits")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Resumes_from_checkpointed_results_without_repeating_earlier_tool_calls()
    {
        var firstWorker = new StepRunner(TestAgents.Research(TimeProvider.System), StreamsQuestion);
        await firstWorker.RunStepAsync(1);
        await firstWorker.RunStepAsync(2);
        var secondWorker = new StepRunner(TestAgents.Research(TimeProvider.System), StreamsQuestion);
        foreach (var (step, json) in firstWorker.Checkpoint)
        {
            secondWorker.Checkpoint[step] = json;
        }

        await secondWorker.RunStepAsync(3);
        await secondWorker.RunStepAsync(4);

        Assert.Equal([TextStatsTool.ToolName, GlossaryTool.ToolName], secondWorker.Tools.Calls.Select(call => call.Tool));
        Assert.NotEmpty(secondWorker.Result("respond").GetProperty("sources").EnumerateArray());
    }

    [Fact]
    public async Task Fails_with_a_clear_error_when_an_earlier_result_is_missing()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), StreamsQuestion);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunStepAsync(3));

        Assert.Contains("'search'", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Tools.Calls);
    }

    [Fact]
    public async Task Echoes_markup_in_the_question_verbatim_in_the_results()
    {
        const string question = "Is <script>alert('x')</script> shown as text in Blazor?";
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), JsonSerializer.Serialize(new { question }));

        await runner.RunAllAsync();

        Assert.Equal(question, runner.Result("plan").GetProperty("question").GetString());
        Assert.Equal(question, runner.Result("respond").GetProperty("question").GetString());
    }

    [Fact]
    public async Task Respond_waits_for_approval_when_the_input_requires_it()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), """{ "question": "Are leases safe?", "requireApproval": true }""");
        for (var step = 1; step <= 3; step++)
        {
            await runner.RunStepAsync(step);
        }

        var callsBefore = runner.Tools.Calls.Count;
        var waiting = await runner.RunStepAsync(4);

        Assert.True(waiting.IsAwaitingApproval);
        Assert.Null(waiting.Value);
        Assert.Contains("Are leases safe?", waiting.ApprovalPrompt, StringComparison.Ordinal);
        Assert.Equal(callsBefore, runner.Tools.Calls.Count);
    }

    [Fact]
    public async Task Respond_answers_after_approval_and_records_the_decision()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), """{ "question": "Are leases safe?", "requireApproval": true }""");
        for (var step = 1; step <= 3; step++)
        {
            await runner.RunStepAsync(step);
        }

        var done = await runner.RunStepAsync(4, new ApprovalDecision(Approved: true, Comment: "go"));

        Assert.False(done.IsAwaitingApproval);
        var answer = runner.Result("respond");
        Assert.True(answer.GetProperty("approval").GetProperty("approved").GetBoolean());
        Assert.Equal("go", answer.GetProperty("approval").GetProperty("comment").GetString());
        Assert.Equal("offline", answer.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Respond_publishes_no_answer_when_the_reviewer_rejects()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), """{ "question": "Are leases safe?", "requireApproval": true }""");
        for (var step = 1; step <= 3; step++)
        {
            await runner.RunStepAsync(step);
        }

        var callsBefore = runner.Tools.Calls.Count;
        await runner.RunStepAsync(4, new ApprovalDecision(Approved: false, Comment: "not yet"));

        var answer = runner.Result("respond");
        Assert.Contains("rejected it (not yet)", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.False(answer.GetProperty("approval").GetProperty("approved").GetBoolean());
        Assert.Empty(answer.GetProperty("glossary").EnumerateArray());
        Assert.Equal(callsBefore, runner.Tools.Calls.Count);
    }

    [Fact]
    public async Task Waits_the_step_delay_on_the_time_provider_before_working()
    {
        var time = new FakeTimeProvider();
        var runner = new StepRunner(TestAgents.Research(time), """{ "question": "Valkey streams", "stepDelayMs": 5000 }""");

        var step = runner.RunStepAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(4999));
        var finishedEarly = step.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        await step.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.False(finishedEarly);
        Assert.True(runner.Checkpoint.ContainsKey("plan"));
    }

    [Fact]
    public async Task Stops_waiting_the_step_delay_when_cancelled()
    {
        var runner = new StepRunner(TestAgents.Research(new FakeTimeProvider()), """{ "question": "Valkey streams", "stepDelayMs": 60000 }""");
        using var cancellation = new CancellationTokenSource();

        var step = runner.Agent.Steps[0].ExecuteAsync(runner.ContextFor(1, cancellationToken: cancellation.Token));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => step.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Plans_a_single_fallback_query_when_the_question_has_only_stop_words()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), """{ "question": "What is it?" }""");

        await runner.RunAllAsync();

        Assert.Equal(["What is it?"], runner.Result("plan").GetProperty("queries").EnumerateArray().Select(query => query.GetString()));
        Assert.Empty(runner.Result("search").GetProperty("hits").EnumerateArray());
        Assert.Equal(0, runner.Result("analyze").GetProperty("stats").GetProperty("wordCount").GetInt32());
    }

    [Fact]
    public async Task Search_fails_the_asked_number_of_tries_then_works()
    {
        var runner = new StepRunner(TestAgents.Research(TimeProvider.System), """{ "question": "How do Valkey streams work?", "failSearchAttempts": 2 }""");
        await runner.RunStepAsync(1);
        var search = runner.Agent.Steps[1];

        var first = await Assert.ThrowsAsync<SimulatedStepFailureException>(() => search.ExecuteAsync(runner.ContextFor(2, cancellationToken: TestContext.Current.CancellationToken) with { Retry = 0 }));
        await Assert.ThrowsAsync<SimulatedStepFailureException>(() => search.ExecuteAsync(runner.ContextFor(2, cancellationToken: TestContext.Current.CancellationToken) with { Retry = 1 }));
        var third = await search.ExecuteAsync(runner.ContextFor(2, cancellationToken: TestContext.Current.CancellationToken) with { Retry = 2 });

        Assert.Contains("try 1", first.Message);
        Assert.NotEmpty(third.Value!.Value.GetProperty("hits").EnumerateArray());
    }
}
