using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Replays;
using AgentAspire.LogViewer.Components.Runs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

/// <summary>The compare page's body on comparisons made by the real comparer from sample runs and their logs.</summary>
public sealed class ComparisonViewTests : BunitContext
{
    private static readonly RunCheckpoint Original = Samples.Run(RunStatus.Complete);

    [Fact]
    public void Shows_an_identical_replay_with_every_step_equal_and_no_diff()
    {
        var replay = Original with { RunId = "run-replay" };

        var view = Render<ComparisonView>(p => p.Add(c => c.Comparison, RunComparer.Compare(Original, replay, Samples.Log(Original), Samples.Log(replay))));

        Assert.Equal(ReplayOutcomes.Identical, view.Find("#compare-outcome").GetAttribute("data-outcome"));
        Assert.Equal(4, view.FindAll("li.compare-step[data-equal='true']").Count);
        Assert.Empty(view.FindAll("table.diff-table"));
        Assert.Empty(view.FindAll(".divergence"));
        Assert.Equal("run-complete", view.Find("#side-a a.run-id").TextContent);
        Assert.Equal("run-replay", view.Find("#side-b a.run-id").TextContent);
        // Durations come from the step commit entries of the logs: 700 ms each.
        Assert.Equal("700 ms → 700 ms", view.Find("li.compare-step[data-step='1'] .step-duration").TextContent);
    }

    [Fact]
    public void Shows_a_changed_result_as_a_diff_row_with_only_the_changed_text_highlighted()
    {
        var replay = Original with
        {
            RunId = "run-replay",
            Steps = [.. Original.Steps.Take(3), Original.Steps[3] with { ResultJson = """{"step":4,"text":"result of reply","extra":[1,2]}""" }],
        };

        var view = Render<ComparisonView>(p => p.Add(c => c.Comparison, RunComparer.Compare(Original, replay, Samples.Log(Original), Samples.Log(replay))));

        Assert.Equal(ReplayOutcomes.Differs, view.Find("#compare-outcome").GetAttribute("data-outcome"));
        Assert.Equal(3, view.FindAll("li.compare-step[data-equal='true']").Count);
        var step = view.Find("li.compare-step[data-step='4']");
        Assert.Equal("false", step.GetAttribute("data-equal"));
        Assert.Contains("2 differences", step.QuerySelector(".tag-differs")!.TextContent);
        Assert.Single(view.FindAll("table.diff-table"));

        var text = view.Find("tr.diff-row[data-path='$.text']");
        Assert.Equal("spond", text.QuerySelector("td.diff-a mark.diff-changed")!.TextContent);
        Assert.Equal("ply", text.QuerySelector("td.diff-b mark.diff-changed")!.TextContent);
        Assert.Equal("\"result of respond\"", text.QuerySelector("td.diff-a")!.TextContent);

        // A property only the replay has: absent on A's side, the whole value highlighted on B's.
        var extra = view.Find("tr.diff-row[data-path='$.extra']");
        Assert.Equal("absent", extra.QuerySelector("td.diff-a")!.TextContent);
        Assert.NotNull(extra.QuerySelector("td.diff-b .diff-changed .json-array"));

        // The first divergence is the first differing step, with no call to name.
        var divergence = view.Find(".divergence");
        Assert.Equal("4", divergence.GetAttribute("data-step"));
        Assert.Contains("step's result differs", divergence.TextContent);
    }

    [Fact]
    public void Shows_where_a_replay_diverged_with_both_requests_side_by_side()
    {
        var replay = Samples.Run(RunStatus.Cancelled) with { RunId = "run-replay", Status = RunStatus.Diverged };
        var recorded = JsonDocument.Parse("""{"model":"test-model","messages":[{"role":"user","content":"How do runs resume?"}]}""").RootElement;
        var requested = JsonDocument.Parse("""{"model":"test-model","messages":[{"role":"user","content":"How do runs resume, briefly?"}]}""").RootElement;
        var log = Samples.Log(replay).Append(Samples.Entry(99, LogActions.Diverged, LogDetailsJson.Write(new DivergedDetails(3, 2, recorded, requested)), 3, 3500)).ToList();

        var view = Render<ComparisonView>(p => p.Add(c => c.Comparison, RunComparer.Compare(Original, replay, Samples.Log(Original), log)));

        Assert.Equal(ReplayOutcomes.Diverged, view.Find("#compare-outcome").GetAttribute("data-outcome"));
        Assert.Equal(RunStatus.Diverged, view.Find("#side-b .badge").GetAttribute("data-status"));
        Assert.Contains("badge-diverged", view.Find("#side-b .badge").ClassList);
        var divergence = view.Find(".divergence");
        Assert.Equal("3", divergence.GetAttribute("data-step"));
        Assert.Equal("2", divergence.GetAttribute("data-turn"));
        Assert.Contains("step 3, turn 2", divergence.QuerySelector("h2")!.TextContent);
        Assert.Contains("\"How do runs resume?\"", divergence.QuerySelector(".divergence-recorded")!.TextContent);
        Assert.Contains("\"How do runs resume, briefly?\"", divergence.QuerySelector(".divergence-requested")!.TextContent);

        // The steps the replay never committed: the whole result on A's side, absent on B's.
        var missing = view.Find("li.compare-step[data-step='3'] tr.diff-row[data-path='$']");
        Assert.Equal("absent", missing.QuerySelector("td.diff-b")!.TextContent);
        Assert.Contains("result of analyze", missing.QuerySelector("td.diff-a")!.TextContent);
    }

    [Theory]
    [InlineData("result of respond", "result of reply", "result of re", "spond", "")]
    [InlineData("abab", "ab", "ab", "ab", "")]
    [InlineData("same", "same", "same", "", "")]
    [InlineData("a cat sat", "a dog sat", "a ", "cat", " sat")]
    public void Text_change_keeps_the_common_start_and_end_apart_from_the_changed_middle(string text, string other, string prefix, string changed, string suffix)
    {
        var change = TextChange.Of(text, other);

        Assert.Equal(new TextChange(prefix, changed, suffix), change);
        Assert.Equal(text, change.Prefix + change.Changed + change.Suffix);
    }
}
