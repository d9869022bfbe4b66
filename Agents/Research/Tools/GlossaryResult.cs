namespace AgentAspire.Agents.Research.Tools;

/// <summary>What <c>lookup_glossary</c> found.</summary>
/// <param name="Entries">The glossary terms that occur in the text, in order of first occurrence.</param>
public sealed record GlossaryResult(IReadOnlyList<GlossaryEntry> Entries);
