namespace AgentAspire.AgentState.Runs;

/// <summary>One change to a listing index: the run added with its score, or removed (no score).</summary>
internal readonly record struct IndexChange(string Key, string RunId, double? Score)
{
    public static IndexChange Add(string key, string runId, double score) => new(key, runId, score);

    public static IndexChange Remove(string key, string runId) => new(key, runId, null);
}
