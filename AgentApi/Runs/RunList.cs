namespace AgentAspire.AgentApi.Runs;

/// <summary>A page of runs: <c>GET /runs</c>.</summary>
/// <param name="Items">The runs, newest update first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null at the end.</param>
public sealed record RunList(IReadOnlyList<RunListItem> Items, string? NextCursor);

/// <summary>One run in a listing.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Agent">The agent that runs it.</param>
/// <param name="Status">The run's status.</param>
/// <param name="CurrentStep">The last committed step.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="UpdatedAt">When the run last changed.</param>
/// <param name="Error">Why the run failed, if it did.</param>
/// <param name="InputSummary">
/// What the run was asked, in one line of at most 80 characters: the input's <c>question</c>, a plain string input, or
/// else the input as compact JSON, cut with an ellipsis; null for no input.
/// </param>
/// <param name="Usage">What its model calls used so far: tokens, cost and calls.</param>
/// <param name="ReplayOf">The run this one replays; null for a run of its own.</param>
public sealed record RunListItem(
    string RunId, string Agent, string Status, int CurrentStep, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, string? Error, string? InputSummary, RunUsage Usage,
    string? ReplayOf);
