namespace AgentAspire.AgentState.Runs;

/// <summary>A page of runs.</summary>
/// <param name="Items">The runs, newest update first.</param>
/// <param name="NextCursor">Where the next page starts; <see langword="null"/> at the end.</param>
public sealed record RunPage(IReadOnlyList<RunSummary> Items, string? NextCursor);
