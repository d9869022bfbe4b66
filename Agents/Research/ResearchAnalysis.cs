using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Research;

/// <summary>Result of the <c>analyze</c> step.</summary>
/// <param name="Question">The question, verbatim.</param>
/// <param name="Stats">Statistics of the text of the hits.</param>
/// <param name="Analysis">The model's analysis of the hits.</param>
/// <param name="Sources">The urls of the hits analysed.</param>
public sealed record ResearchAnalysis(string Question, TextStats Stats, string Analysis, IReadOnlyList<string> Sources);
