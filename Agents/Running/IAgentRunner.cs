namespace AgentAspire.Agents.Running;

/// <summary>
/// Runs the agents of one <see cref="Kind"/> for a claimed run: the worker looks the runner up by the agent's
/// <see cref="IAgent.Kind"/> and hands it the claim. A kind's library registers its runner with
/// <see cref="AgentsBuilder.AddRunner{TRunner}"/>, next to the builder method that adds its agents; the worker runs
/// <see cref="AgentKinds.Steps"/> itself.
/// </summary>
public interface IAgentRunner
{
    /// <summary>The kind of agent this runner runs, for example <see cref="AgentKinds.Steps"/>.</summary>
    string Kind { get; }

    /// <summary>
    /// Runs the claimed run from the step after its last committed one until it completes, waits for a person or a
    /// write is refused. Every write goes through <see cref="AgentRun.Lease"/>, so a worker that lost the run writes nothing.
    /// </summary>
    /// <param name="run">The claimed run, its agent and input, and the services a run uses.</param>
    /// <param name="cancellationToken">Fires when the run is cancelled, the lease is lost or the worker stops.</param>
    /// <returns>How this claim ended.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the worker decides what becomes of the run.</exception>
    /// <remarks>Any other exception is the agent's own failure: the worker fails the run with its message.</remarks>
    Task<AgentRunOutcome> RunAsync(AgentRun run, CancellationToken cancellationToken);
}
