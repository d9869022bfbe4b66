using System.Text.Json;
using AgentAspire.Agents;
using Microsoft.Agents.AI.Workflows;

namespace AgentAspire.AgentFramework;

/// <summary>
/// An Agent Framework workflow as an agent: started by <c>POST /runs</c> like any agent, its input read and checked by
/// the same rules as a step agent's (<see cref="TypedAgent{TInput}"/>), run by the worker superstep by superstep with
/// each superstep checkpoint committed as a step named after the executors that ran in it. Subclass it and add it to
/// the app's agents with <c>.AddWorkflowAgent&lt;TAgent&gt;()</c>.
/// </summary>
/// <typeparam name="TInput">The input type, usually a record.</typeparam>
/// <typeparam name="TStart">The type of the message the workflow starts with.</typeparam>
public abstract class WorkflowAgent<TInput, TStart> : TypedAgent<TInput>, IWorkflowAgent
    where TInput : class
    where TStart : notnull
{
    private IReadOnlyList<string>? _stepNames;

    /// <inheritdoc />
    public sealed override string Kind => WorkflowKind.Name;

    /// <summary>The names of the workflow's executors, in the order a person would read them.</summary>
    protected abstract IReadOnlyList<string> ExecutorNames { get; }

    /// <summary>The executors, then <see cref="WorkflowRunner.OutputStepName"/>: the steps of a run that goes straight through.</summary>
    public sealed override IReadOnlyList<string> StepNames => _stepNames ??= [.. ExecutorNames, WorkflowRunner.OutputStepName];

    /// <inheritdoc />
    public virtual JsonSerializerOptions SerializerOptions => AgentJson.Options;

    /// <inheritdoc />
    public abstract Workflow Build(WorkflowRunContext context);

    /// <summary>Turns the run's input into the message the workflow starts with.</summary>
    /// <param name="input">The run's input, read and checked.</param>
    /// <returns>The start message.</returns>
    protected abstract TStart CreateStartMessage(TInput input);

    ValueTask<StreamingRun> IWorkflowAgent.StartAsync(Workflow workflow, object input, CheckpointManager checkpoints, string runId, CancellationToken cancellationToken) =>
        InProcessExecution.RunStreamingAsync(workflow, CreateStartMessage((TInput)input), checkpoints, runId, cancellationToken);
}
