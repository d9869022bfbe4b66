namespace AgentAspire.Agents.Research.Tools;

/// <summary>One document found by <c>web_search</c>.</summary>
/// <param name="Title">The document's title.</param>
/// <param name="Url">Its docs-style path.</param>
/// <param name="Snippet">The sentence of the document that best matches the query, verbatim.</param>
/// <param name="Score">Its BM25 score for the query, rounded to 4 decimals.</param>
public sealed record SearchHit(string Title, string Url, string Snippet, double Score);
