using AgentAspire.AgentState;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class RunTimelineTests
{
    [Fact]
    public void Measures_each_step_from_the_entry_before_it_to_its_commit_skipping_its_tool_calls()
    {
        var run = Samples.Run(RunStatus.Complete);

        var steps = RunTimeline.Build(run, Samples.Log(run), Samples.ResearchSteps);

        Assert.Equal([TimeSpan.FromMilliseconds(1800), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], steps.Select(s => s.Duration));
        Assert.All(steps, step => Assert.Equal((2, 1), (step.ToolCalls, step.CacheHits)));
    }

    [Fact]
    public void Without_the_agents_steps_shows_committed_steps_and_the_one_running()
    {
        var run = Samples.Run(RunStatus.InProgress);

        var steps = RunTimeline.Build(run, Samples.Log(run));

        Assert.Equal([(1, "plan", StepStates.Done), (2, "search", StepStates.Done), (3, "step 3", StepStates.Running)],
            steps.Select(s => (s.Step, s.Name, s.State)));
    }

    [Fact]
    public void Without_a_log_has_no_durations_but_keeps_results()
    {
        var run = Samples.Run(RunStatus.Complete);

        var steps = RunTimeline.Build(run, []);

        Assert.All(steps, step => Assert.Null(step.Duration));
        Assert.All(steps, step => Assert.NotNull(step.ResultJson));
    }

    [Theory]
    [InlineData("""{"tool":"t","cacheHit":true,"key":"tool:cache:t:{0}","durationMs":0.5}""", true)]
    [InlineData("""{"tool":"t","cacheHit":false,"key":"tool:cache:t:{0}","durationMs":0.5}""", false)]
    [InlineData("""{"tool":"t","cacheHit":true}""", false)]
    [InlineData("""{"tool":"t"}""", false)]
    [InlineData("not json", false)]
    [InlineData("[true]", false)]
    public void Counts_a_cache_hit_only_from_details_cacheHit_true(string details, bool hit)
    {
        var entry = new AgentState.Logs.LogEntry("1-0", AgentState.Logs.LogActions.ToolCall, details, null, 1, 1, "");

        Assert.Equal(hit, RunTimeline.IsCacheHit(entry));
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "0af7651916cd43dd8448eb211c80319c")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01", null)]
    [InlineData("garbage", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Reads_the_trace_id_of_a_traceparent(string? traceParent, string? traceId)
    {
        Assert.Equal(traceId, DashboardLinks.TraceId(traceParent));
    }
}
