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

    [Theory]
    [InlineData("{\"a\":1,\"b\":[2,3]}", new[] { "{\"a\":", "1,", "\"b\":", "[2,", "3]}" })]
    [InlineData("{\"s\":\"x,y:z \\\" ,\"}", new[] { "{\"s\":", "\"x,y:z \\\" ,\"}" })]
    [InlineData("not json", new[] { "not json" })]
    public void Tokens_split_after_commas_and_colons_outside_strings(string json, string[] expected) =>
        Assert.Equal(expected, JsonText.Tokens(json));
}
