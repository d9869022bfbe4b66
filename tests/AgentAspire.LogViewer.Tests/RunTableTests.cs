using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;
using AgentAspire.LogViewer.Components.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class RunTableTests : BunitContext
{
    [Fact]
    public void Says_so_when_there_are_no_runs()
    {
        var table = Render<RunTable>(p => p.Add(c => c.Runs, []).Add(c => c.EmptyText, "No runs yet."));

        Assert.Equal("No runs yet.", table.Find(".runs-empty").TextContent);
        Assert.Empty(table.FindAll("tr"));
    }

    [Theory]
    [MemberData(nameof(Samples.States), MemberType = typeof(Samples))]
    public void Shows_a_row_per_run_with_its_question_agent_status_step_and_age(string state)
    {
        var summary = Samples.Summary(state);

        var table = Render<RunTable>(p => p.Add(c => c.Runs, [summary]).Add(c => c.Now, Samples.Start.AddMinutes(5)));

        var row = table.Find("tr.run-row");
        var cells = row.QuerySelectorAll("td");
        Assert.Equal(summary.RunId, cells[0].TextContent);
        Assert.Equal($"runs/{summary.RunId}", cells[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("How do runs resume?", cells[1].TextContent);
        Assert.Equal("research", cells[2].TextContent);
        Assert.Equal(summary.Status, cells[3].QuerySelector(".badge")!.GetAttribute("data-status"));
        Assert.Equal(summary.CurrentStep.ToString(System.Globalization.CultureInfo.InvariantCulture), cells[4].TextContent);
        Assert.Equal("—", cells[5].TextContent.Trim());
        Assert.Equal("5m 00s", cells[6].TextContent);
        Assert.Equal(state == RunStatus.Failed, row.QuerySelector(".run-error") is not null);
    }

    [Fact]
    public void Shows_an_input_that_looks_like_markup_as_text()
    {
        var summary = Samples.Summary(RunStatus.Complete) with { InputSummary = InputSummary.Of("""{"question":"Is <b>bold</b> & <script>x()</script> safe?"}""") };

        var table = Render<RunTable>(p => p.Add(c => c.Runs, [summary]));

        var input = table.Find("td.run-input");
        Assert.Equal("Is <b>bold</b> & <script>x()</script> safe?", input.TextContent);
        Assert.Empty(input.Children);
    }

    [Fact]
    public void Shows_a_runs_tokens_and_cost_in_a_compact_column()
    {
        var summary = Samples.Summary(RunStatus.Complete) with { Usage = new AgentState.Journal.ModelUsage(12_000, 345, 0, 2_100, 4) };

        var table = Render<RunTable>(p => p.Add(c => c.Runs, [summary]));

        var usage = table.Find("td.run-usage");
        Assert.Equal("12.3k tok", usage.QuerySelector(".tokens")!.TextContent);
        Assert.Equal("0.0021", usage.QuerySelector(".cost")!.TextContent);
        Assert.Equal("12345", usage.GetAttribute("data-tokens"));
        Assert.Equal("12,345 tok (12,000 in, 345 out) · 4 model calls · cost 0.0021", usage.GetAttribute("title"));
    }

    [Fact]
    public void Keeps_runs_in_the_order_given()
    {
        var runs = Samples.AllStates.Select(Samples.Summary).ToList();

        var table = Render<RunTable>(p => p.Add(c => c.Runs, runs));

        Assert.Equal(runs.Select(r => r.RunId), table.FindAll("tr.run-row").Select(r => r.GetAttribute("data-run-id")));
    }

    [Fact]
    public void Tags_a_replay_with_the_run_it_replays()
    {
        var replay = Samples.Summary(RunStatus.Complete) with { RunId = "run-replay", ReplayOf = "run-complete" };

        var table = Render<RunTable>(p => p.Add(c => c.Runs, [Samples.Summary(RunStatus.Complete), replay]));

        var tags = table.FindAll("tr.run-row .tag-replay");
        Assert.Single(tags);
        Assert.Equal("Replay of run-complete", table.Find("tr.run-row[data-run-id='run-replay'] .tag-replay").GetAttribute("title"));
    }
}
