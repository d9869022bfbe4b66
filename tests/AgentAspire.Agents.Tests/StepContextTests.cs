using AgentAspire.Agents.Chat;

namespace AgentAspire.Agents.Tests;

public sealed class StepContextTests
{
    private sealed record Counts(int Total);

    private static StepContext ContextWith(Dictionary<string, string> results) =>
        new("run-7", "research", Step: 3, StepName: "analyze", Attempt: 2, Json.Parse("{}"),
            results.ToDictionary(pair => pair.Key, pair => Json.Parse(pair.Value)),
            new InMemoryToolRunner(ToolInvocation.For("run-7", 3, 2)), new OfflineChatClient(), Approval: null, CancellationToken.None);

    [Fact]
    public void GetResult_reads_an_earlier_result_with_the_agent_json_settings()
    {
        var context = ContextWith(new() { ["search"] = """{ "total": 4 }""" });

        Assert.Equal(new Counts(4), context.GetResult<Counts>("search"));
    }

    [Fact]
    public void GetResult_names_the_missing_step_and_the_results_present()
    {
        var context = ContextWith(new() { ["plan"] = "{}" });

        var error = Assert.Throws<InvalidOperationException>(() => context.GetResult<Counts>("search"));

        Assert.Equal("Step 'analyze' of run 'run-7' needs the result of step 'search', which is missing (results present: plan).", error.Message);
    }

    [Fact]
    public void GetResult_reports_a_result_of_the_wrong_shape_as_invalid_operation()
    {
        var context = ContextWith(new() { ["search"] = """{ "total": "many" }""" });

        var error = Assert.Throws<InvalidOperationException>(() => context.GetResult<Counts>("search"));

        Assert.Contains("cannot be read as Counts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gives_tools_the_idempotency_key_of_run_step_and_attempt()
    {
        Assert.Equal("run-7:3:2", ContextWith([]).Invocation.IdempotencyKey);
    }
}
