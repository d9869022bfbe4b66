namespace AgentAspire.AgentState.Logs;

/// <summary>One entry of a run's activity log <c>agent:log:{RUNID}</c>.</summary>
/// <param name="Id">The stream entry id, in order.</param>
/// <param name="Action">What happened (field <c>action</c>): one of <see cref="LogActions"/>, or the name of a committed step.</param>
/// <param name="DetailsJson">Details as JSON (field <c>details</c>); <see cref="LogDetailsJson"/> reads them as the action's record.</param>
/// <param name="Timestamp">When (field <c>ts</c>).</param>
/// <param name="Step">The step it belongs to.</param>
/// <param name="Attempt">The claim it belongs to.</param>
/// <param name="Worker">The worker that wrote it; empty for the API.</param>
public sealed record LogEntry(string Id, string Action, string DetailsJson, DateTimeOffset? Timestamp, int Step, int Attempt, string Worker);
