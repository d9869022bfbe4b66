using System.Text.Json;

namespace AgentAspire.AgentApi.Runs;

/// <summary>A page of a run's activity log: <c>GET /runs/{id}/log</c>.</summary>
/// <param name="Entries">Entries in order.</param>
/// <param name="Next">Pass as <c>from</c> for the next page.</param>
public sealed record RunLog(IReadOnlyList<RunLogEntry> Entries, string Next);

/// <summary>One activity-log entry; also the data of one Server-Sent Event.</summary>
/// <param name="Id">The stream entry id, in order.</param>
/// <param name="Action">What happened: queued, a step name, tool_call, complete, cancelled…</param>
/// <param name="Details">Details of what happened.</param>
/// <param name="Ts">When.</param>
/// <param name="Step">The step it belongs to.</param>
/// <param name="Attempt">The claim it belongs to.</param>
/// <param name="Worker">The worker that wrote it; empty for the API.</param>
public sealed record RunLogEntry(string Id, string Action, JsonElement Details, DateTimeOffset? Ts, int Step, int Attempt, string Worker);
