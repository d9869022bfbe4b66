namespace AgentAspire.Agents.Research;

/// <summary>Result of the <c>plan</c> step.</summary>
/// <param name="Question">The question, verbatim.</param>
/// <param name="Queries">1 to 3 search queries derived from the question's keywords.</param>
/// <param name="Plan">The model's plan.</param>
public sealed record ResearchPlan(string Question, IReadOnlyList<string> Queries, string Plan);
