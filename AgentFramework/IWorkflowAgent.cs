using System.Text.Json;
using AgentAspire.Agents;
using Microsoft.Agents.AI.Workflows;

namespace AgentAspire.AgentFramework;

/// <summary>An agent of kind <see cref="WorkflowKind.Name"/>: an Agent Framework workflow, run by <see cref="WorkflowRunner"/>; see <see cref="WorkflowAgent{TInput, TStart}"/>.</summary>
public interface IWorkflowAgent : IAgent
{
    /// <summary>The options the checkpoints serialize messages and state with.</summary>
    JsonSerializerOptions SerializerOptions { get; }

    /// <summary>Builds the workflow for one claim of a run.</summary>
    /// <param name="context">The run, its input, tools and chat model.</param>
    /// <returns>The workflow.</returns>
    Workflow Build(WorkflowRunContext context);

    /// <summary>Starts a new run of <paramref name="workflow"/> with the run's input, checkpointing to <paramref name="checkpoints"/>.</summary>
    /// <param name="workflow">The workflow built for this claim.</param>
    /// <param name="input">The run's input as <see cref="IAgent.ReadInput"/> returned it.</param>
    /// <param name="checkpoints">The checkpoint manager over the run's Valkey store.</param>
    /// <param name="runId">The run, used as the session id.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The streaming run.</returns>
    ValueTask<StreamingRun> StartAsync(Workflow workflow, object input, CheckpointManager checkpoints, string runId, CancellationToken cancellationToken);
}
