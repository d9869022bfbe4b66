using System.Text.Json;

namespace AgentAspire.LogViewer.Api;

/// <summary>An agent the api can run (<c>GET /agents</c>), with the example input it declares, as indented JSON (null when it declares none).</summary>
public sealed record AgentInfo(string Name, string Description, IReadOnlyList<string> Steps, string? ExampleInput = null);

/// <summary>A run the api accepted (<c>POST /runs</c>, <c>POST /runs/{id}/fork</c>, <c>POST /runs/{id}/replay</c>).</summary>
public sealed record StartedRun(string RunId, string? Status);

internal sealed record StartRunRequest(string Agent, JsonElement Input);

internal sealed record ApproveRequest(bool Approved, string? Comment);

internal sealed record ForkRequest(int FromStep);

// afterStep is left out of the body for a recorded replay, which the api refuses with one.
internal sealed record ReplayRequest(
    string Mode,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? AfterStep);
