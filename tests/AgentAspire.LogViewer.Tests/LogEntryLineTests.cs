using AgentAspire.AgentState.Logs;
using AgentAspire.LogViewer.Components.Runs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class LogEntryLineTests : BunitContext
{
    [Fact]
    public void A_model_call_reads_model_turn_tokens_cost_duration_and_tools_asked_for()
    {
        var entry = Entry(LogActions.ModelCall, LogDetailsJson.Write(new ModelCallDetails("test-model", 1, 80, 27, 12, 0.00021m, 812.4, "tool_calls", false, ["web_search"])));

        Assert.Equal("test-model · turn 1 · 107 tok (80 in, 12 cached, 27 out) · 0.00021 · 812 ms · tool_calls: web_search", LogEntryLine.Of(entry));
    }

    [Fact]
    public void A_replayed_model_call_without_a_price_says_replayed_and_why_it_stopped()
    {
        var entry = Entry(LogActions.ModelCall, LogDetailsJson.Write(new ModelCallDetails("offline", 7, 1200, 300, 0, 0, 0, "stop", true)));

        Assert.Equal("offline · turn 7 · 1,500 tok (1,200 in, 300 out) · replayed · stop", LogEntryLine.Of(entry));
    }

    [Theory]
    [InlineData(false, false, false, "web_search · turn 2 · computed · 2.5 ms")]
    [InlineData(true, false, false, "web_search · turn 2 · cache hit · 2.5 ms")]
    [InlineData(false, true, false, "web_search · turn 2 · replayed")]
    [InlineData(false, false, true, "web_search · turn 2 · computed · 2.5 ms · lock taken over")]
    public void A_tool_call_reads_cache_hit_replay_and_duration(bool hit, bool replayed, bool takenOver, string line)
    {
        var entry = Entry(LogActions.ToolCall, LogDetailsJson.Write(new ToolCallDetails("web_search", hit, "tool:cache:web_search:{a}", 2.5, takenOver, replayed, 2)));

        Assert.Equal(line, LogEntryLine.Of(entry));
    }

    [Theory]
    [InlineData("search", """{"step":2,"durationMs":1234.5,"toolCalls":2,"cacheHits":1}""", "step 2 committed · 1.2s · 2 tool calls, 1 cache hit")]
    [InlineData(LogActions.Started, """{"fence":3,"nextStep":2}""", "next step 2 · fence 3 · worker w1")]
    [InlineData(LogActions.Waiting, """{"step":4,"prompt":"Publish it?"}""", "step 4 · Publish it?")]
    [InlineData(LogActions.Approved, """{"step":4}""", "step 4")]
    [InlineData(LogActions.Failed, """{"error":"boom"}""", "boom")]
    [InlineData(LogActions.JournalMismatch, """{"turn":3,"recorded":"tool web_search","requested":"tool text_stats"}""", "turn 3 · recorded tool web_search · requested tool text_stats")]
    [InlineData(LogActions.ResumedByRequest, "{}", "")]
    [InlineData("latency_probe", """{"sample":3}""", """{"sample":3}""")]
    [InlineData(LogActions.ToolCall, """{"tool":"t"}""", """{"tool":"t"}""")]
    [InlineData(LogActions.Failed, "not json", "not json")]
    public void Known_actions_read_as_their_fields_and_anything_else_as_its_json(string action, string details, string line)
    {
        Assert.Equal(line, LogEntryLine.Of(Entry(action, details)));
    }

    [Fact]
    public void Unknown_details_are_cut_short()
    {
        var details = $$"""{"text":"{{new string('x', 300)}}"}""";

        var line = LogEntryLine.Of(Entry("custom", details));

        Assert.Equal(LogEntryLine.MaxUnknownLength, line.Length);
        Assert.EndsWith("…", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_activity_table_shows_the_line_with_the_json_one_click_away()
    {
        var entry = Entry(LogActions.ModelCall, LogDetailsJson.Write(new ModelCallDetails("test-model", 1, 80, 27, 0, 0, 812, "tool_calls", false, ["web_search"])));

        var table = Render<LogTable>(p => p.Add(c => c.Entries, [new RunLogEntry("run_1", entry)]));

        Assert.Equal("test-model · turn 1 · 107 tok (80 in, 27 out) · 812 ms · tool_calls: web_search", table.Find("td.details details > summary").TextContent);
        Assert.Equal(entry.DetailsJson, table.Find("td.details details > code").TextContent);
    }

    [Fact]
    public void Empty_details_show_no_fold()
    {
        var table = Render<LogTable>(p => p.Add(c => c.Entries, [new RunLogEntry("run_1", Entry(LogActions.ResumedByRequest, "{}"))]));

        Assert.Empty(table.FindAll("td.details details"));
    }

    private static LogEntry Entry(string action, string details) => new("1-0", action, details, Samples.Start, 2, 1, "w1");
}
