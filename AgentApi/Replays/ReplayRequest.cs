using System.Text.Json.Serialization;

namespace AgentAspire.AgentApi.Replays;

/// <summary>The body of <c>POST /runs/{id}/replay</c>.</summary>
/// <param name="Mode"><c>recorded</c> (the default): every call from the record, stop at the first it cannot answer; <c>live-after</c>: from the record up to <paramref name="AfterStep"/>, live after it.</param>
/// <param name="AfterStep">In <c>live-after</c> mode, the last step answered from the record.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReplayRequest(string? Mode, int? AfterStep);
