namespace AgentAspire.Agents.Research.Tools;

/// <summary>A term of the built-in glossary and what it means.</summary>
/// <param name="Term">The term as the glossary spells it.</param>
/// <param name="Definition">One sentence defining it.</param>
public sealed record GlossaryEntry(string Term, string Definition);
