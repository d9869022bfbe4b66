namespace AgentAspire.AgentState.Tools;

/// <summary>Hit and miss counts of one <see cref="ToolCache"/> since it was created.</summary>
/// <param name="Hits">Calls answered without running the tool.</param>
/// <param name="Misses">Calls that ran the tool.</param>
public sealed record ToolCacheStatistics(long Hits, long Misses);
