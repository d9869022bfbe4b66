using System.Text.Json.Serialization;

namespace AgentAspire.AgentApi.Runs;

/// <summary>The body of <c>POST /runs/{id}/fork</c>.</summary>
/// <param name="FromStep">The first step the new run runs again; earlier steps are kept.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ForkRequest(int? FromStep);
