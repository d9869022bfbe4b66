namespace AgentAspire.Agents.Research.Tools;

/// <summary>How often a keyword occurs in a text.</summary>
/// <param name="Word">The keyword, lowercase.</param>
/// <param name="Count">Its number of occurrences.</param>
public sealed record KeywordCount(string Word, int Count);
