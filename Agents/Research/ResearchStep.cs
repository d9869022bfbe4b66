namespace AgentAspire.Agents.Research;

/// <summary>What every research step does first: wait the requested step delay.</summary>
/// <param name="timeProvider">The clock the step delay runs on.</param>
public abstract class ResearchStep(TimeProvider timeProvider) : AgentStep<ResearchInput>
{
    /// <inheritdoc />
    protected sealed override async Task<StepResult> ExecuteAsync(StepContext context, ResearchInput input)
    {
        if (input.StepDelayMs > 0)
        {
            // The delay lets people watch a run live and tests stop a worker mid-run; cancellation cuts it short.
            await Task.Delay(TimeSpan.FromMilliseconds(input.StepDelayMs), timeProvider, context.CancellationToken).ConfigureAwait(false);
        }

        return await ExecuteAfterDelayAsync(context, input).ConfigureAwait(false);
    }

    /// <summary>The step's own work, after the delay.</summary>
    /// <param name="context">The step context.</param>
    /// <param name="input">The run's input.</param>
    /// <returns>The step's outcome.</returns>
    protected abstract Task<StepResult> ExecuteAfterDelayAsync(StepContext context, ResearchInput input);
}
