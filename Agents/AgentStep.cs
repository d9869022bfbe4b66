namespace AgentAspire.Agents;

/// <summary>Typed base class for the steps of an <see cref="Agent{TInput}"/>: the run's input arrives already read.</summary>
/// <typeparam name="TInput">The agent's input type.</typeparam>
public abstract class AgentStep<TInput> : IAgentStep
    where TInput : class
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public Task<StepResult> ExecuteAsync(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context, context.GetInput<TInput>());
    }

    /// <summary>Runs the step. It may run again after a crash, so side effects go through idempotent tools.</summary>
    /// <param name="context">The run, the results of earlier steps, the tools and the chat model.</param>
    /// <param name="input">The run's input, read once per run by the agent.</param>
    /// <returns>A result to checkpoint, or a request for a person's approval.</returns>
    protected abstract Task<StepResult> ExecuteAsync(StepContext context, TInput input);
}
