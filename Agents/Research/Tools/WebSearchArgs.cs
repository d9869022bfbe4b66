using System.Text.Json.Serialization;

namespace AgentAspire.Agents.Research.Tools;

/// <summary>Arguments of <c>web_search</c>.</summary>
/// <param name="Query">What to search for.</param>
/// <param name="Limit">How many hits at most, 1 to 10.</param>
/// <param name="LatencyMs">
/// How long the call takes before it answers, 0 to 60000 ms: the offline search stands in for a remote one. Left out of
/// the arguments' JSON when 0, so a call without latency keeps the cache key it always had.
/// </param>
public sealed record WebSearchArgs(
    string Query,
    int Limit = 3,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int LatencyMs = 0)
{
    /// <summary>The longest latency accepted, in milliseconds.</summary>
    public const int MaxLatencyMs = 60_000;
}
