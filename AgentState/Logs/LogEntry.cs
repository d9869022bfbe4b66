namespace AgentAspire.AgentState.Logs;

/// <summary>One entry of a run's activity log <c>agent:log:{RUNID}</c>.</summary>
/// <param name="Id">The stream entry id, in order.</param>
/// <param name="Action">What happened (seed field <c>action</c>): a step name, <c>queued</c>, <c>tool_call</c>, <c>complete</c>…</param>
/// <param name="DetailsJson">Details as JSON (seed field <c>details</c>).</param>
/// <param name="Timestamp">When (seed field <c>ts</c>).</param>
/// <param name="Step">The step it belongs to.</param>
/// <param name="Attempt">The claim it belongs to.</param>
/// <param name="Worker">The worker that wrote it; empty for the API.</param>
public sealed record LogEntry(string Id, string Action, string DetailsJson, DateTimeOffset? Timestamp, int Step, int Attempt, string Worker);
