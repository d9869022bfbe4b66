using AgentAspire.Agents;

namespace AgentAspire.AgentFramework;

/// <summary>Names an executor of a workflow agent in its list of steps; the worker runs the workflow, not these steps.</summary>
/// <param name="name">The executor's name.</param>
internal sealed class WorkflowExecutorStep(string name) : IAgentStep
{
    public string Name => name;

    public Task<StepResult> ExecuteAsync(StepContext context) =>
        throw new NotSupportedException($"'{name}' is an executor of the workflow agent '{context?.AgentName}'; the worker runs the workflow with WorkflowRunner, superstep by superstep.");
}
