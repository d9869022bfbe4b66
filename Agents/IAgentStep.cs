namespace AgentAspire.Agents;

/// <summary>One step of an agent; its result is checkpointed before the next step starts.</summary>
public interface IAgentStep
{
    /// <summary>The step's name, unique within its agent, for example <c>plan</c> or <c>respond</c>.</summary>
    string Name { get; }

    /// <summary>Runs the step. It may run again after a crash, so side effects go through idempotent tools.</summary>
    /// <param name="context">The run, the input, the results of earlier steps and the services a step may use.</param>
    /// <returns>A result to checkpoint, or a request for a person's approval.</returns>
    Task<StepResult> ExecuteAsync(StepContext context);
}
