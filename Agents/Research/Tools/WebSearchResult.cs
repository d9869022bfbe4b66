namespace AgentAspire.Agents.Research.Tools;

/// <summary>What <c>web_search</c> found.</summary>
/// <param name="Query">The query, as given.</param>
/// <param name="Hits">The best documents, highest score first; empty when nothing matches.</param>
public sealed record WebSearchResult(string Query, IReadOnlyList<SearchHit> Hits);
