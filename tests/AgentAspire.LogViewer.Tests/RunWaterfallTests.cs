using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.LogViewer.Components.Runs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class RunWaterfallTests : BunitContext
{
    [Fact]
    public void Draws_the_step_then_its_model_turns_and_tool_calls_in_log_order()
    {
        var waterfall = RunWaterfall.Build(Samples.LoopRun(), Samples.LoopLog());

        Assert.Equal(
            ["step", "model", "tool", "model", "tool", "model", "tool", "model"],
            waterfall.Bars.Select(bar => bar.Kind));
        Assert.Equal(["1 investigate", "turn 1 · test-model", "turn 2 · web_search"], waterfall.Bars.Take(3).Select(bar => bar.Label));
        Assert.Equal([1, 3, 5, 7], waterfall.Bars.Where(bar => bar.Kind == WaterfallBarKinds.Model).Select(bar => bar.Turn!.Value));
        Assert.Equal(0, waterfall.Omitted);
    }

    [Fact]
    public void Places_each_call_from_its_entry_time_minus_its_duration_on_the_runs_span()
    {
        var waterfall = RunWaterfall.Build(Samples.LoopRun(), Samples.LoopLog());

        // The claim at 100 ms starts the step and the span; the commit at 1000 ms ends both.
        Assert.Equal(TimeSpan.FromMilliseconds(900), waterfall.Span);
        var step = waterfall.Bars[0];
        Assert.Equal((0, 100), (step.Left, step.Width));
        Assert.Equal(TimeSpan.FromMilliseconds(900), step.Duration);
        // The first turn's entry is at 300 ms and it took 50 ms: it ran from 250 ms, 150 ms into the span.
        var first = waterfall.Bars[1];
        Assert.Equal(TimeSpan.FromMilliseconds(150), first.Offset);
        Assert.Equal(TimeSpan.FromMilliseconds(50), first.Duration);
        Assert.Equal(150.0 / 900 * 100, first.Left, 6);
        Assert.Equal(50.0 / 900 * 100, first.Width, 6);
        Assert.Equal("16.667%", first.LeftCss);
        Assert.All(waterfall.Bars, bar => Assert.InRange(bar.Left + bar.Width, 0, 100.000001));
    }

    [Fact]
    public void Labels_bars_with_durations_tokens_cache_hits_and_replays()
    {
        var waterfall = RunWaterfall.Build(Samples.LoopRun(), Samples.LoopLog(replayedFirstTurn: true));

        Assert.Equal("900ms · 460 tok · cost 0.0021 · 3 tool calls, 1 cache hit", waterfall.Bars[0].Meta);
        Assert.Equal(460, waterfall.Bars[0].Tokens);
        Assert.Equal("replayed · 115 tok · 0.000525 · → web_search", waterfall.Bars[1].Meta);
        Assert.True(waterfall.Bars[1].Replayed);
        // A replayed turn took no time, yet still shows.
        Assert.Equal(RunWaterfall.MinWidth, waterfall.Bars[1].Width);
        Assert.Equal("10 ms · computed", waterfall.Bars[2].Meta);
        Assert.Equal("10 ms · cache hit", waterfall.Bars[4].Meta);
        Assert.True(waterfall.Bars[4].CacheHit);
        Assert.Equal("50 ms · 115 tok · 0.000525 · stop", waterfall.Bars[^1].Meta);
    }

    [Fact]
    public void A_running_step_reaches_to_its_latest_entry()
    {
        var log = Samples.LoopLog(committed: false).Take(5).ToList();

        var waterfall = RunWaterfall.Build(Samples.LoopRun(RunStatus.InProgress), log, ["investigate"]);

        Assert.Equal(["1 investigate", "turn 1 · test-model", "turn 2 · web_search", "turn 3 · test-model"], waterfall.Bars.Select(bar => bar.Label));
        // From the claim at 100 ms to the second turn's entry at 500 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(400), waterfall.Bars[0].Duration);
    }

    [Fact]
    public void A_run_without_log_entries_draws_nothing()
    {
        Assert.Same(RunWaterfall.Empty, RunWaterfall.Build(Samples.Run(RunStatus.Queued), []));
        Assert.Empty(RunWaterfall.Build(Samples.Run(RunStatus.Complete), []).Bars);
    }

    [Fact]
    public void Draws_every_committed_step_of_a_pipeline_with_its_tool_calls()
    {
        var run = Samples.Run(RunStatus.Complete);

        var waterfall = RunWaterfall.Build(run, Samples.Log(run));

        Assert.Equal(4, waterfall.Bars.Count(bar => bar.Kind == WaterfallBarKinds.Step));
        Assert.Equal(8, waterfall.Bars.Count(bar => bar.Kind == WaterfallBarKinds.Tool));
        // Steps follow one another: each starts where the one before it ended.
        var steps = waterfall.Bars.Where(bar => bar.Kind == WaterfallBarKinds.Step).ToList();
        Assert.All(steps.Zip(steps.Skip(1)), pair => Assert.Equal(pair.First.Offset + pair.First.Duration, pair.Second.Offset));
    }

    [Fact]
    public void Counts_the_calls_past_the_most_it_draws()
    {
        var run = Samples.LoopRun();
        var log = Samples.LoopLog().ToList();
        var call = log.First(entry => entry.Action == LogActions.ToolCall);
        var many = Enumerable.Range(0, RunWaterfall.MaxBars + 10).Select(i => call with { Id = $"{i}-9" });
        log.InsertRange(3, many);

        var waterfall = RunWaterfall.Build(run, log);

        Assert.Equal(RunWaterfall.MaxBars, waterfall.Bars.Count);
        Assert.Equal(RunWaterfall.MaxBars + 10 + 7 - (RunWaterfall.MaxBars - 1), waterfall.Omitted);
    }

    [Fact]
    public void The_chart_draws_a_bar_per_step_turn_and_tool_call_placed_by_css()
    {
        var waterfall = RunWaterfall.Build(Samples.LoopRun(), Samples.LoopLog());

        var chart = Render<WaterfallChart>(p => p.Add(c => c.Waterfall, waterfall));

        Assert.Equal(4, chart.FindAll(".wf-row[data-kind='model'] .wf-bar").Count);
        Assert.Equal(3, chart.FindAll(".wf-row[data-kind='tool'] .wf-bar").Count);
        Assert.Single(chart.FindAll(".wf-row.wf-cache-hit"));
        Assert.Equal("left: 16.667%; width: 5.556%", chart.Find(".wf-row[data-turn='1'] .wf-bar").GetAttribute("style"));
        Assert.Equal("50 ms · 115 tok · 0.000525 · → web_search", chart.Find(".wf-row[data-turn='1'] .wf-meta").TextContent);
    }

    [Fact]
    public void The_chart_says_so_when_nothing_ran()
    {
        var chart = Render<WaterfallChart>(p => p.Add(c => c.Waterfall, RunWaterfall.Empty));

        Assert.Equal("Nothing has run yet.", chart.Find(".waterfall-empty").TextContent);
    }
}
