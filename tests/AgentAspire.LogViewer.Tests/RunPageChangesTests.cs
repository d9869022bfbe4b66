using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Logs;
using AgentAspire.LogViewer.Components.Runs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class RunPageChangesTests
{
    [Fact]
    public void Two_reads_of_an_unchanged_run_are_the_same_though_their_collections_are_other_instances()
    {
        var first = Samples.Run(RunStatus.Waiting) with { StepUsage = new Dictionary<int, ModelUsage> { [2] = new(10, 5, 0, 7, 1) } };
        var second = Samples.Run(RunStatus.Waiting) with { StepUsage = new Dictionary<int, ModelUsage> { [2] = new(10, 5, 0, 7, 1) } };

        Assert.NotSame(first.Steps, second.Steps);
        Assert.True(RunPageChanges.SameRun(first, second));
        Assert.True(RunPageChanges.SameSteps(RunTimeline.Build(first, Samples.Log(first)), RunTimeline.Build(second, Samples.Log(second))));
        Assert.True(RunPageChanges.SameWaterfall(RunWaterfall.Build(first, Samples.Log(first)), RunWaterfall.Build(second, Samples.Log(second))));
    }

    [Fact]
    public void A_changed_fact_result_approval_or_usage_is_a_change()
    {
        var run = Samples.Run(RunStatus.Waiting);

        Assert.False(RunPageChanges.SameRun(run, run with { Status = RunStatus.InProgress }));
        Assert.False(RunPageChanges.SameRun(run, run with { Steps = [.. run.Steps.Take(2), run.Steps[2] with { ResultJson = "{}" }] }));
        Assert.False(RunPageChanges.SameRun(run, run with { Approvals = [] }));
        Assert.False(RunPageChanges.SameRun(run, run with { StepUsage = new Dictionary<int, ModelUsage> { [2] = new(1, 1, 0, 0, 1) } }));
        Assert.False(RunPageChanges.SameRun(run, null));
    }

    [Fact]
    public void A_tool_call_changes_the_timeline_and_an_entry_of_no_step_after_the_end_changes_nothing_the_page_shows()
    {
        var run = Samples.Run(RunStatus.Complete);
        var log = Samples.Log(run);
        var probe = new LogEntry("9999999999999-0", "bench_probe", """{"n":1}""", Samples.Start.AddMinutes(5), 0, 0, "");
        var toolCall = log.First(entry => entry.Action == LogActions.ToolCall) with { Id = "9999999999999-1", Step = 3 };

        Assert.True(RunPageChanges.SameSteps(RunTimeline.Build(run, log), RunTimeline.Build(run, [.. log, probe])));
        Assert.True(RunPageChanges.SameWaterfall(RunWaterfall.Build(run, log), RunWaterfall.Build(run, [.. log, probe])));
        Assert.False(RunPageChanges.SameSteps(RunTimeline.Build(run, log), RunTimeline.Build(run, [.. log, toolCall])));
    }

    [Fact]
    public void A_row_makes_its_markup_once_and_shows_the_same_on_every_page()
    {
        var row = new RunLogEntry("run_1", new LogEntry("1-0", LogActions.Failed, """{"error":"boom","extra":[1,2]}""", Samples.Start, 0, 1, "w1"));

        Assert.Same(row.Cells(showRun: false).Value, row.Cells(showRun: false).Value);
        Assert.Same(row.Cells(showRun: true).Value, row.Cells(showRun: true).Value);
        Assert.NotEqual(row.Cells(showRun: false).Value, row.Cells(showRun: true).Value);
        Assert.Same(row.CssClass, row.CssClass);
        Assert.Equal("log-entry action-failed", row.CssClass);
    }
}
