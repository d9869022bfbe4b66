using System.Text.Json;
using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Tests;

public sealed class WebSearchToolTests
{
    [Fact]
    public void Ranks_the_streams_document_first_for_a_query_about_streams()
    {
        var result = WebSearchTool.Search(new WebSearchArgs("append-only stream log XADD", Limit: 5));

        Assert.Equal("docs/valkey/streams", result.Hits[0].Url);
        Assert.True(result.Hits[0].Score > result.Hits[1].Score);
    }

    [Theory]
    [InlineData("cache stampede lock", "docs/caching/stampede")]
    [InlineData("Ollama local model", "docs/ai/ollama")]
    [InlineData("hash tag cluster slot", "docs/valkey/cluster/hash-tags")]
    public void Ranks_the_matching_document_first(string query, string expectedUrl)
    {
        var result = WebSearchTool.Search(new WebSearchArgs(query));

        Assert.Equal(expectedUrl, result.Hits[0].Url);
    }

    [Fact]
    public void Returns_hits_in_descending_score_order_within_the_limit_with_a_matching_snippet()
    {
        var result = WebSearchTool.Search(new WebSearchArgs("valkey streams consumer groups", Limit: 4));

        Assert.Equal(4, result.Hits.Count);
        Assert.Equal(result.Hits.OrderByDescending(hit => hit.Score).Select(hit => hit.Url), result.Hits.Select(hit => hit.Url));
        Assert.Contains("consumer", result.Hits[0].Snippet, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Returns_no_hits_when_no_document_shares_a_term()
    {
        var result = WebSearchTool.Search(new WebSearchArgs("zebra quokka"));

        Assert.Empty(result.Hits);
        Assert.Equal("zebra quokka", result.Query);
    }

    [Fact]
    public void Ships_a_corpus_of_25_to_40_documents()
    {
        Assert.InRange(WebSearchTool.CorpusSize, 25, 40);
    }

    [Theory]
    [InlineData("""{ "limit": 3 }""")]
    [InlineData("""{ "query": "" }""")]
    [InlineData("""{ "query": "valkey", "limit": 0 }""")]
    [InlineData("""{ "query": "valkey", "limit": "many" }""")]
    [InlineData("""{ "query": "valkey", "latencyMs": -1 }""")]
    [InlineData("""{ "query": "valkey", "latencyMs": 60001 }""")]
    [InlineData("""[1, 2]""")]
    public async Task Rejects_bad_arguments_with_a_tool_argument_error(string args)
    {
        IAgentTool tool = new WebSearchTool();

        var error = await Assert.ThrowsAsync<ToolArgumentException>(
            () => tool.InvokeAsync(Json.Parse(args), ToolInvocation.For("run-1", 2, 1), TestContext.Current.CancellationToken));

        Assert.Equal(WebSearchTool.ToolName, error.ToolName);
    }

    [Fact]
    public async Task Round_trips_typed_arguments_and_results_as_camel_case_json()
    {
        IAgentTool tool = new WebSearchTool();

        var result = await tool.InvokeAsync(Json.Parse("""{ "query": "valkey streams", "limit": 1 }"""), ToolInvocation.For("run-1", 2, 1), TestContext.Current.CancellationToken);

        Assert.Equal(typeof(WebSearchArgs), tool.ArgumentType);
        Assert.Equal(typeof(WebSearchResult), tool.ResultType);
        Assert.Equal(TimeSpan.FromMinutes(5), tool.Ttl);
        var hit = Assert.Single(result.GetProperty("hits").EnumerateArray());
        Assert.Equal(JsonValueKind.Number, hit.GetProperty("score").ValueKind);
        Assert.StartsWith("docs/", hit.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_with_latency_is_cut_short_by_its_cancellation()
    {
        IAgentTool tool = new WebSearchTool();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => tool.InvokeAsync(Json.Parse("""{ "query": "valkey", "latencyMs": 60000 }"""), ToolInvocation.For("run-1", 2, 1), cancel.Token));
    }

    [Fact]
    public void Arguments_without_latency_serialize_as_they_always_did_so_cache_keys_stay()
    {
        var json = JsonSerializer.Serialize(new WebSearchArgs("valkey", 3), AgentJson.Options);

        Assert.Equal("""{"query":"valkey","limit":3}""", json);
    }
}
