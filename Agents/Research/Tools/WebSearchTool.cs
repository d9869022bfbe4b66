using AgentAspire.Agents.Text;

namespace AgentAspire.Agents.Research.Tools;

/// <summary>Searches a built-in corpus of short documents with BM25; stands in for a paid web search API.</summary>
public sealed class WebSearchTool : AgentTool<WebSearchArgs, WebSearchResult>
{
    /// <summary>The tool's name.</summary>
    public const string ToolName = "web_search";

    /// <summary>The most hits one call returns.</summary>
    public const int MaxLimit = 10;

    private static readonly Lazy<(Bm25Index Index, int Size)> Corpus = new(() =>
    {
        var documents = EmbeddedJson.Read<CorpusDocument[]>("corpus.json");
        return (new Bm25Index(documents), documents.Length);
    });

    /// <inheritdoc />
    public override string Name => ToolName;

    /// <inheritdoc />
    public override string Description => "Searches the built-in AgentAspire documentation for a query and returns the best hits with their snippets.";

    /// <summary>Five minutes: search results go stale quickly.</summary>
    public override TimeSpan Ttl => TimeSpan.FromMinutes(5);

    /// <summary>How many documents the corpus holds.</summary>
    internal static int CorpusSize => Corpus.Value.Size;

    /// <summary>Ranks the corpus for a query.</summary>
    /// <param name="args">The query and the number of hits wanted.</param>
    /// <returns>The best documents, highest score first.</returns>
    /// <exception cref="ToolArgumentException">The query is empty or the limit is outside 1 to 10.</exception>
    public static WebSearchResult Search(WebSearchArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (string.IsNullOrWhiteSpace(args.Query))
        {
            throw new ToolArgumentException(ToolName, "query must not be empty.");
        }

        if (args.Limit is < 1 or > MaxLimit)
        {
            throw new ToolArgumentException(ToolName, $"limit must be between 1 and {MaxLimit}, got {args.Limit}.");
        }

        if (args.LatencyMs is < 0 or > WebSearchArgs.MaxLatencyMs)
        {
            throw new ToolArgumentException(ToolName, $"latencyMs must be between 0 and {WebSearchArgs.MaxLatencyMs}, got {args.LatencyMs}.");
        }

        var queryTerms = Words.Terms(args.Query).ToHashSet(StringComparer.Ordinal);
        var hits = Corpus.Value.Index.Search(args.Query, args.Limit)
            .Select(hit => new SearchHit(hit.Document.Title, hit.Document.Url, BestSentence(hit.Document.Text, queryTerms), Math.Round(hit.Score, 4)))
            .ToArray();
        return new WebSearchResult(args.Query, hits);
    }

    /// <inheritdoc />
    protected override async Task<WebSearchResult> InvokeAsync(WebSearchArgs args, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = Search(args);
        if (args.LatencyMs > 0)
        {
            // The remote service's round trip; a lost lease or a cancel cuts it short.
            await Task.Delay(TimeSpan.FromMilliseconds(args.LatencyMs), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    // The snippet is the sentence sharing the most query terms, the earliest one on a tie.
    private static string BestSentence(string text, IReadOnlySet<string> queryTerms) =>
        Words.Sentences(text)
            .Select((sentence, index) => (sentence, index, shared: Words.Terms(sentence).Distinct(StringComparer.Ordinal).Count(queryTerms.Contains)))
            .OrderByDescending(candidate => candidate.shared)
            .ThenBy(candidate => candidate.index)
            .First().sentence;
}
