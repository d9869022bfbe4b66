using AgentAspire.AgentState.Logs;
using AgentAspire.LogViewer.Components.Runs;
using AgentAspire.LogViewer.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class LogTableTests : BunitContext
{
    [Fact]
    public void Long_details_may_wrap_only_between_tokens()
    {
        var entry = new LogEntry("1-0", "tool_call", """{"tool":"web_search","key":"tool:cache:web_search:{abc}","count":3}""", null, 2, 1, "w");

        var table = Render<LogTable>(p => p.Add(c => c.Entries, [new RunLogEntry("run_1", entry)]));

        var code = table.Find("td.details details > code");
        Assert.Equal(entry.DetailsJson, code.TextContent);
        // A break after each comma and colon between tokens, none inside the string that holds colons.
        Assert.Equal(6, code.QuerySelectorAll("wbr").Length);
    }

    [Fact]
    public void Escaped_markup_in_details_reads_as_text()
    {
        var entry = new LogEntry("1-0", "respond", """{"answer":"\u003Cb\u003Ebold\u003C/b\u003E caf\u00E9"}""", null, 4, 1, "w");

        var table = Render<LogTable>(p => p.Add(c => c.Entries, [new RunLogEntry("run_1", entry)]));

        var code = table.Find("td.details code");
        Assert.Equal("""{"answer":"<b>bold</b> café"}""", code.TextContent);
        Assert.Empty(code.QuerySelectorAll("b"));
    }

    [Fact]
    public void Markup_in_any_field_of_an_entry_reads_as_text()
    {
        const string hostile = "\"><img src=x onerror=alert(1)><script>alert(2)</script>";
        var entry = new LogEntry("1-0", hostile, """{"x":"\u003Cscript\u003E"}""", null, 1, 1, "w");

        var table = Render<LogTable>(p => p.Add(c => c.Entries, [new RunLogEntry("run_\"<b>", entry)]).Add(c => c.ShowRun, true));

        Assert.Empty(table.FindAll("img, script, b"));
        var row = table.Find("tr.log-entry");
        Assert.Equal(hostile, row.GetAttribute("data-action"));
        Assert.Equal(hostile, row.QuerySelector("td.action")!.TextContent);
        Assert.Equal("run_\"<b>", row.QuerySelector("td.run-id a")!.TextContent);
        Assert.Equal("runs/run_%22%3Cb%3E", row.QuerySelector("td.run-id a")!.GetAttribute("href"));
    }

    [Fact]
    public void A_tool_call_answered_from_the_cache_says_so_and_an_entry_without_details_shows_no_fold()
    {
        var hit = new LogEntry("1-0", "tool_call", """{"tool":"web_search","cacheHit":true,"key":"k","durationMs":0.4}""", null, 2, 1, "w");
        var bare = new LogEntry("2-0", "queued", "{}", null, 0, 0, "api");

        var table = Render<LogTable>(p => p.Add(c => c.Entries, [new RunLogEntry("run_1", hit), new RunLogEntry("run_1", bare)]));

        Assert.Equal("cache hit", table.Find("tr[data-entry-id='1-0'] td.action .cache-hit").TextContent);
        Assert.Empty(table.FindAll("tr[data-entry-id='2-0'] details"));
        Assert.Single(table.FindAll("tr[data-entry-id='2-0'] td.details span.detail-line"));
        Assert.Empty(table.FindAll("td.run-id"));
    }

    [Theory]
    [InlineData("{\"a\":1,\"b\":[2,3]}", new[] { "{\"a\":", "1,", "\"b\":", "[2,", "3]}" })]
    [InlineData("{\"s\":\"x,y:z \\\" ,\"}", new[] { "{\"s\":", "\"x,y:z \\\" ,\"}" })]
    [InlineData("not json", new[] { "not json" })]
    public void Tokens_split_after_commas_and_colons_outside_strings(string json, string[] expected) =>
        Assert.Equal(expected, JsonText.Tokens(json));
}
