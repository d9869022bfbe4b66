namespace AgentAspire.Agents.Research.Tools;

/// <summary>Arguments of <c>web_search</c>.</summary>
/// <param name="Query">What to search for.</param>
/// <param name="Limit">How many hits at most, 1 to 10.</param>
public sealed record WebSearchArgs(string Query, int Limit = 3);
