namespace AgentAspire.Agents.Research.Tools;

/// <summary>Arguments of <c>lookup_glossary</c>.</summary>
/// <param name="Text">The text whose known terms are looked up.</param>
public sealed record GlossaryArgs(string Text);
