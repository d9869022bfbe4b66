using System.Text.Json.Serialization;

namespace AgentAspire.AgentApi.Replays;

/// <summary>The body of <c>POST /replays</c>: which ended runs to replay, each in <c>recorded</c> mode.</summary>
/// <param name="Agent">Only runs of this agent.</param>
/// <param name="Status">Only runs that ended so: <c>complete</c> (the default), <c>failed</c>, <c>cancelled</c> or <c>diverged</c>.</param>
/// <param name="Since">Only runs created at or after this time.</param>
/// <param name="Until">Only runs created before this time.</param>
/// <param name="Limit">The most runs to replay, 1 to 50 (default 20); a filter that matches more is refused, so nothing is left out unseen.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReplayBatchRequest(string? Agent, string? Status, DateTimeOffset? Since, DateTimeOffset? Until, int? Limit)
{
    /// <summary>The most runs one batch replays.</summary>
    public const int MaxLimit = 50;

    /// <summary>The runs a batch replays when the request sets no limit.</summary>
    public const int DefaultLimit = 20;
}
