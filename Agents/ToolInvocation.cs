namespace AgentAspire.Agents;

/// <summary>Which run, step and attempt a tool call belongs to.</summary>
/// <param name="RunId">The run that calls the tool.</param>
/// <param name="Step">The 1-based number of the calling step.</param>
/// <param name="Attempt">The attempt of that step, starting at 1.</param>
/// <param name="IdempotencyKey"><c>runId:step:attempt</c>, for tools with side effects to deduplicate on.</param>
public sealed record ToolInvocation(string RunId, int Step, int Attempt, string IdempotencyKey)
{
    /// <summary>Creates the invocation of a step's attempt with its idempotency key <c>runId:step:attempt</c>.</summary>
    /// <param name="runId">The run that calls the tool.</param>
    /// <param name="step">The 1-based number of the calling step.</param>
    /// <param name="attempt">The attempt of that step, starting at 1.</param>
    /// <returns>The invocation.</returns>
    public static ToolInvocation For(string runId, int step, int attempt) =>
        new(runId, step, attempt, $"{runId}:{step}:{attempt}");
}
