using System.Text.Json;
using AgentAspire.Agents;
using Microsoft.Agents.AI.Workflows;

namespace AgentAspire.AgentFramework;

/// <summary>
/// An Agent Framework workflow as an agent: started by <c>POST /runs</c> like any agent, run by the worker superstep by
/// superstep, each superstep checkpoint committed as a step of the run. Subclass it and register it with
/// <c>services.AddWorkflowAgent&lt;TAgent&gt;()</c>.
/// </summary>
/// <typeparam name="TStart">The type of the message the workflow starts with.</typeparam>
public abstract class WorkflowAgent<TStart> : IWorkflowAgent
    where TStart : notnull
{
    private IReadOnlyList<IAgentStep>? _steps;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public string Kind => WorkflowKind.Name;

    /// <summary>The names of the workflow's executors, in the order a person would read them; listed as its steps.</summary>
    protected abstract IReadOnlyList<string> ExecutorNames { get; }

    /// <inheritdoc />
    public IReadOnlyList<IAgentStep> Steps => _steps ??= ExecutorNames.Select(name => (IAgentStep)new WorkflowExecutorStep(name)).ToArray();

    /// <inheritdoc />
    public virtual JsonSerializerOptions SerializerOptions => AgentJson.Options;

    /// <inheritdoc />
    public abstract void ValidateInput(JsonElement input);

    /// <inheritdoc />
    /// <remarks>A workflow reads its input when it builds its start message; here it is only checked.</remarks>
    public object ReadInput(JsonElement input)
    {
        ValidateInput(input);
        return input.Clone();
    }

    /// <inheritdoc />
    public abstract Workflow Build(WorkflowRunContext context);

    /// <summary>Turns the run's input into the message the workflow starts with.</summary>
    /// <param name="input">The run's input, already validated.</param>
    /// <returns>The start message.</returns>
    protected abstract TStart CreateStartMessage(JsonElement input);

    ValueTask<StreamingRun> IWorkflowAgent.StartAsync(Workflow workflow, JsonElement input, CheckpointManager checkpoints, string runId, CancellationToken cancellationToken) =>
        InProcessExecution.RunStreamingAsync(workflow, CreateStartMessage(input), checkpoints, runId, cancellationToken);
}
