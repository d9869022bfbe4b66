namespace AgentAspire.AgentState.Runs;

/// <summary>A page request over the runs, newest update first.</summary>
/// <param name="Status">Only runs in this status.</param>
/// <param name="Agent">Only runs of this agent.</param>
/// <param name="Limit">Page size, 1 to 200.</param>
/// <param name="Cursor">The <see cref="RunPage.NextCursor"/> of the previous page.</param>
public sealed record RunQuery(string? Status = null, string? Agent = null, int Limit = 50, string? Cursor = null)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 200;

    /// <summary>Only replays (<see langword="true"/>), only runs of their own (<see langword="false"/>), or both (null).</summary>
    public bool? Replays { get; init; }
}
