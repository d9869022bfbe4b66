using AgentAspire.AgentState;
using AgentAspire.LogViewer.Components.Runs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class StepTimelineTests : BunitContext
{
    [Fact]
    public void Says_so_when_there_are_no_steps()
    {
        var timeline = Render<StepTimeline>(p => p.Add(c => c.Steps, []));

        Assert.Equal("No steps yet.", timeline.Find(".timeline-empty").TextContent);
    }

    [Theory]
    [MemberData(nameof(Samples.States), MemberType = typeof(Samples))]
    public void Shows_committed_steps_done_and_the_current_one_in_the_runs_state(string state)
    {
        var run = Samples.Run(state);
        var steps = RunTimeline.Build(run, Samples.Log(run), Samples.ResearchSteps);

        var timeline = Render<StepTimeline>(p => p.Add(c => c.Steps, steps));

        var items = timeline.FindAll("li.step");
        Assert.Equal(4, items.Count);
        Assert.Equal(["plan", "search", "analyze", "respond"], items.Select(i => i.QuerySelector(".step-name")!.TextContent));
        var expected = Enumerable.Range(1, 4).Select(step =>
            step <= run.CurrentStep ? StepStates.Done
            : step > run.CurrentStep + 1 ? StepStates.Pending
            : state switch
            {
                RunStatus.InProgress => StepStates.Running,
                RunStatus.Waiting => StepStates.Waiting,
                RunStatus.Failed => StepStates.Failed,
                RunStatus.Cancelled => StepStates.Cancelled,
                _ => StepStates.Pending,
            });
        Assert.Equal(expected, items.Select(i => i.QuerySelector(".badge")!.GetAttribute("data-status")));
        Assert.Equal(run.CurrentStep, timeline.FindAll(".step-result").Count);
    }

    [Fact]
    public void Shows_duration_and_cache_hits_of_a_committed_step()
    {
        var run = Samples.Run(RunStatus.Complete);
        var steps = RunTimeline.Build(run, Samples.Log(run), Samples.ResearchSteps);

        var first = Render<StepTimeline>(p => p.Add(c => c.Steps, steps)).Find("li[data-step='1']");

        Assert.Equal("1.8s", first.QuerySelector(".step-duration")!.TextContent);
        Assert.Equal("2 tool calls, 1 cache hit", first.QuerySelector(".step-tools")!.TextContent);
    }
}
