namespace AgentAspire.AgentState.Tools;

/// <summary>A tool result and where it came from.</summary>
/// <param name="ResultJson">The tool's result, as JSON.</param>
/// <param name="CacheHit">True when the tool did not run for this call: the result was cached, or another caller computed it.</param>
/// <param name="Key">The cache key, <c>tool:cache:TOOL:{SHA256}</c>.</param>
/// <param name="LockTakenOver">True when this caller waited for another caller's result, found its stampede lock gone without one, and ran the tool itself.</param>
public sealed record ToolCacheResult(string ResultJson, bool CacheHit, string Key, bool LockTakenOver = false);
