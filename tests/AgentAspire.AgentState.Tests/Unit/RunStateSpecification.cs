namespace AgentAspire.AgentState.Tests.Unit;

/// <summary>
/// The run state machine as the README and the API promise it, written out here once and on its own, so the tests
/// compare the product's table and scripts with it instead of with themselves.
/// </summary>
internal static class RunStateSpecification
{
    /// <summary>Each action: the statuses it is allowed in, and the statuses it can lead to.</summary>
    public static readonly IReadOnlyDictionary<RunAction, (string[] From, string[] To)> Transitions = new Dictionary<RunAction, (string[], string[])>
    {
        // A worker takes a queued run, or the run of a worker that died mid-run.
        [RunAction.Claim] = (["queued", "in_progress"], ["in_progress"]),
        // Only the run a worker holds gets steps; the last one completes it.
        [RunAction.Commit] = (["in_progress"], ["in_progress", "complete"]),
        // A worker ends its hold: done, failed, parked for a person, handed back on shutdown, or a replay diverged.
        [RunAction.Leave] = (["in_progress"], ["complete", "failed", "waiting", "queued", "diverged"]),
        // A person stops anything not yet over.
        [RunAction.Cancel] = (["queued", "in_progress", "waiting"], ["cancelled"]),
        // A person queues again what failed or was cancelled; a complete run stays complete.
        [RunAction.Resume] = (["failed", "cancelled"], ["queued"]),
        // A person's decision on a waiting run queues it for the worker.
        [RunAction.Decide] = (["waiting"], ["queued"]),
        // A run delivered too often fails, from wherever the queue left it.
        [RunAction.FailUndeliverable] = (["queued", "in_progress"], ["failed"]),
    };

    /// <summary>Whether the specification allows <paramref name="action"/> on a run in <paramref name="status"/>.</summary>
    public static bool Allows(RunAction action, string status) => Transitions[action].From.Contains(status);
}
