using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Research;

/// <summary>Result of the <c>respond</c> step: the run's final answer.</summary>
/// <param name="Question">The question, verbatim.</param>
/// <param name="Answer">The answer.</param>
/// <param name="Sources">The urls the answer draws on.</param>
/// <param name="Glossary">Definitions of the known terms in the question and the answer.</param>
/// <param name="Model">The model that wrote the answer; null when no model was asked.</param>
/// <param name="Approval">The person's decision, when the input required one.</param>
public sealed record ResearchAnswer(
    string Question,
    string Answer,
    IReadOnlyList<string> Sources,
    IReadOnlyList<GlossaryEntry> Glossary,
    string? Model,
    ApprovalDecision? Approval);
