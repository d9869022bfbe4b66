using System.Text.Json;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.App.Tests;

/// <summary>What a run's log says about its tool calls.</summary>
internal static class ToolCalls
{
    /// <summary>The cache key of every tool call that computed its result (a miss), one per computation, in log order.</summary>
    public static List<string> ComputedKeys(IEnumerable<LogEntry> log) => log
        .Where(entry => entry.Action == LogActions.ToolCall)
        .Select(entry => JsonDocument.Parse(entry.DetailsJson).RootElement)
        .Where(details => !details.GetProperty("cacheHit").GetBoolean())
        .Select(details => details.GetProperty("key").GetString()!)
        .ToList();
}
