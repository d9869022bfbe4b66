using AgentAspire.LogViewer.Components.Json;

namespace AgentAspire.LogViewer.Tests;

public sealed class ResultViewTests : BunitContext
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Says_so_when_there_is_no_result(string? json)
    {
        var view = Render<ResultView>(p => p.Add(c => c.Json, json));

        Assert.Equal("No result yet.", view.Find(".result-empty").TextContent);
    }

    [Theory]
    [MemberData(nameof(Samples.States), MemberType = typeof(Samples))]
    public void Shows_each_committed_result_of_a_run_as_keys_and_values(string state)
    {
        foreach (var step in Samples.Run(state).Steps)
        {
            var view = Render<ResultView>(p => p.Add(c => c.Json, step.ResultJson));

            Assert.Equal(["step", "text"], view.FindAll(".json-key").Select(k => k.TextContent));
            Assert.Equal($"\"result of {step.Name}\"", view.Find(".json-string").TextContent);
        }
    }

    [Fact]
    public void Folds_long_strings_and_big_objects()
    {
        var longText = new string('x', 700);
        var json = $$$"""{"summary":"{{{longText}}}","nested":{"a":"{{{longText}}}","b":[1,2,3]}}""";

        var view = Render<ResultView>(p => p.Add(c => c.Json, json));

        Assert.Equal(3, view.FindAll("details.json-fold").Count);
        Assert.Contains("(700 chars)", view.Find("details.json-fold summary").TextContent);
        Assert.Equal(longText, view.Find(".json-long").TextContent);
    }

    [Fact]
    public void Shows_markup_in_run_data_as_text()
    {
        var json = """{"question":"<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">"}""";

        var view = Render<ResultView>(p => p.Add(c => c.Json, json));

        Assert.Empty(view.FindAll("script"));
        Assert.Empty(view.FindAll("img"));
        Assert.Contains("<script>window.__xss=1</script>", view.Find(".json-string").TextContent);
    }

    [Fact]
    public void Shows_text_that_is_not_json_as_it_is()
    {
        var view = Render<ResultView>(p => p.Add(c => c.Json, "<b>not json"));

        Assert.Equal("<b>not json", view.Find("pre.json-raw").TextContent);
        Assert.Empty(view.FindAll("b"));
    }
}
