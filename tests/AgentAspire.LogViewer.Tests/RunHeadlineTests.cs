using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Journal;
using AgentAspire.LogViewer.Components.Runs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class RunHeadlineTests : BunitContext
{
    [Fact]
    public void A_complete_run_leads_with_its_question_and_the_answer_of_its_last_step()
    {
        var headline = RunHeadline.Of(Samples.LoopRun());

        Assert.Equal("How does a run resume after a crash?", headline.Question);
        Assert.Equal("It resumes at the step after the last commit.", headline.Answer);
    }

    [Fact]
    public void The_whole_question_is_kept_not_the_listings_short_line()
    {
        var question = string.Join(' ', Enumerable.Repeat("Why?", 60));

        var headline = RunHeadline.Of(Samples.LoopRun() with { InputJson = $$"""{"question":"{{question}}"}""" });

        Assert.Equal(question, headline.Question);
    }

    [Theory]
    [InlineData("\"What is a fence?\"", "What is a fence?")]
    [InlineData("""{"topic":"fences","depth":2}""", """{"topic":"fences","depth":2}""")]
    [InlineData("null", null)]
    public void Without_a_question_field_uses_a_plain_string_or_the_input_summary(string input, string? question)
    {
        Assert.Equal(question, RunHeadline.Of(Samples.LoopRun() with { InputJson = input }).Question);
    }

    [Fact]
    public void A_last_result_without_an_answer_field_is_shown_whole()
    {
        var run = Samples.Run(RunStatus.Complete);

        var headline = RunHeadline.Of(run);

        Assert.Null(headline.Answer);
        Assert.Equal(run.Steps[^1].ResultJson, headline.ResultJson);
    }

    [Theory]
    [InlineData(RunStatus.InProgress)]
    [InlineData(RunStatus.Waiting)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Cancelled)]
    public void A_run_that_did_not_complete_has_no_answer_yet(string status)
    {
        var headline = RunHeadline.Of(Samples.Run(status));

        Assert.Null(headline.Answer);
        Assert.Null(headline.ResultJson);
    }

    [Fact]
    public void The_panel_shows_question_and_answer_as_text()
    {
        var run = Samples.LoopRun() with { InputJson = """{"question":"Is <b>this</b> bold?"}""" };

        var panel = Render<RunHeadlinePanel>(p => p.Add(c => c.Run, run));

        Assert.Equal("Is <b>this</b> bold?", panel.Find(".question").TextContent);
        Assert.Empty(panel.Find(".question").Children);
        Assert.Equal("It resumes at the step after the last commit.", panel.Find(".answer").TextContent);
    }

    [Fact]
    public void The_panel_says_why_there_is_no_answer()
    {
        var panel = Render<RunHeadlinePanel>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Failed)));

        Assert.Equal("No answer: the run failed.", panel.Find(".answer-empty").TextContent);
    }

    [Fact]
    public void Usage_facts_show_tokens_cost_and_the_budget_used()
    {
        var run = Samples.LoopRun() with { Budget = new RunBudget(1000, 10_000) };

        var facts = Render<RunUsageFacts>(p => p.Add(c => c.Run, run));

        Assert.Equal("460 tok (400 in, 60 out) · 4 model calls · cost 0.0021", facts.Find("#run-tokens").TextContent);
        Assert.Equal("460", facts.Find("#run-tokens").GetAttribute("data-tokens"));
        Assert.Equal("0.0021", facts.Find("#run-cost").TextContent);
        Assert.Equal("1,000 tok (46% used) · cost 0.01 (21% used)", facts.Find("#run-budget").TextContent.Trim());
        Assert.Equal("0.46", facts.Find("#run-budget meter").GetAttribute("value"));
    }

    [Fact]
    public void Usage_facts_of_a_run_without_model_calls_say_so()
    {
        var facts = Render<RunUsageFacts>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Complete)));

        Assert.Equal("no model calls yet", facts.Find("#run-tokens").TextContent);
        Assert.Empty(facts.FindAll("#run-cost"));
        Assert.Empty(facts.FindAll("#run-budget"));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(9_999, "9,999")]
    [InlineData(12_345, "12.3k")]
    [InlineData(4_560_000, "4.6M")]
    public void Compact_tokens_fit_a_narrow_column(long tokens, string text) => Assert.Equal(text, UsageText.CompactTokens(tokens));

    [Theory]
    [InlineData("0", "0.00")]
    [InlineData("0.000210", "0.00021")]
    [InlineData("1.5", "1.50")]
    [InlineData("0.000001", "0.000001")]
    public void Costs_keep_their_millionths(string cost, string text) =>
        Assert.Equal(text, UsageText.Cost(decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Step_usage_reaches_the_timeline()
    {
        var steps = RunTimeline.Build(Samples.LoopRun(), Samples.LoopLog(), ["investigate"]);

        var timeline = Render<StepTimeline>(p => p.Add(c => c.Steps, steps));

        Assert.Equal("460 tok (400 in, 60 out) · 4 model calls · cost 0.0021", timeline.Find("li[data-step='1'] .step-usage").TextContent);
        // The turns do not shorten the step: it runs from the claim to its commit.
        Assert.Equal(TimeSpan.FromMilliseconds(900), steps[0].Duration);
    }

    [Fact]
    public void A_step_without_model_calls_shows_no_usage()
    {
        var run = Samples.Run(RunStatus.Complete);

        var timeline = Render<StepTimeline>(p => p.Add(c => c.Steps, RunTimeline.Build(run, Samples.Log(run))));

        Assert.Empty(timeline.FindAll(".step-usage"));
    }

}
