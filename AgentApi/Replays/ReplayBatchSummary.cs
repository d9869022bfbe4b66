namespace AgentAspire.AgentApi.Replays;

/// <summary>A batch of replays as its runs stand now: <c>GET /replays/{id}</c>, filled in as they end.</summary>
/// <param name="BatchId">The batch.</param>
/// <param name="Done">True once every replay has ended.</param>
/// <param name="Identical">Replays that completed with every step's result equal to the original's.</param>
/// <param name="Differs">Replays that completed with a different result.</param>
/// <param name="Diverged">Replays that stopped at a call their record could not answer.</param>
/// <param name="Failed">Replays that failed or were cancelled.</param>
/// <param name="Pending">Replays still queued or running.</param>
/// <param name="Replays">Each replay, with its original and where to compare them.</param>
public sealed record ReplayBatchSummary(
    string BatchId, bool Done, int Identical, int Differs, int Diverged, int Failed, int Pending, IReadOnlyList<ReplayBatchItem> Replays);

/// <summary>One replay of a batch.</summary>
/// <param name="Original">The run replayed.</param>
/// <param name="Replay">The replay.</param>
/// <param name="Outcome"><c>identical</c>, <c>differs</c>, <c>diverged</c>, <c>failed</c> or <c>pending</c>.</param>
/// <param name="Compare">Where the two are compared step by step.</param>
public sealed record ReplayBatchItem(string Original, string Replay, string Outcome, string Compare);
