namespace AgentAspire.Agents.Research;

/// <summary>A document found while researching, with the query that found it.</summary>
/// <param name="Query">The query that found it first.</param>
/// <param name="Title">The document's title.</param>
/// <param name="Url">Its docs-style path.</param>
/// <param name="Snippet">Its sentence that best matches the query.</param>
/// <param name="Score">Its BM25 score for that query.</param>
public sealed record ResearchHit(string Query, string Title, string Url, string Snippet, double Score);
