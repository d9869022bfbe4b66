namespace AgentAspire.Agents.Research;

/// <summary>Result of the <c>search</c> step.</summary>
/// <param name="Queries">The queries run, from the plan.</param>
/// <param name="Hits">Distinct documents found, in query order then rank.</param>
public sealed record SearchFindings(IReadOnlyList<string> Queries, IReadOnlyList<ResearchHit> Hits);
