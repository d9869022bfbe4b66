namespace AgentAspire.Agents.Research.Tools;

/// <summary>Arguments of <c>text_stats</c>.</summary>
/// <param name="Text">The text to measure.</param>
/// <param name="TopKeywords">How many of the most frequent keywords to return, 1 to 50.</param>
public sealed record TextStatsArgs(string Text, int TopKeywords = 5);
