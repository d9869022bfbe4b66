using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Tools;
using AgentAspire.AgentState.Workflows;
using AgentAspire.Agents.Running;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentFramework;

/// <summary>
/// The runner of agents of kind <see cref="WorkflowKind.Name"/>, for one claim of a run: starts the workflow, or resumes
/// it from the checkpoint of the run's last committed superstep; commits every superstep checkpoint as a step under
/// the lease, named after the executors that ran in it; logs each tool call as a <c>tool_call</c> of the superstep that
/// made it; maps requests of the workflow onto the run's approve action; and commits the workflow's output as the
/// run's last step.
/// </summary>
/// <param name="checkpoints">The Valkey checkpoints.</param>
/// <param name="toolCache">The tool cache, which also caches chat answers when <see cref="WorkflowOptions.ChatCacheTtl"/> is set.</param>
/// <param name="options">The settings of workflow runs.</param>
public sealed class WorkflowRunner(WorkflowCheckpoints checkpoints, ToolCache toolCache, IOptions<WorkflowOptions> options) : IAgentRunner
{
    /// <summary>The name of the run's last step, which holds the workflow's output.</summary>
    public const string OutputStepName = "output";

    /// <inheritdoc />
    public string Kind => WorkflowKind.Name;

    /// <summary>Runs the workflow agent of <paramref name="run"/> until it completes, waits or is refused.</summary>
    /// <param name="run">The claim of the run; its agent is an <see cref="IWorkflowAgent"/>.</param>
    /// <param name="cancellationToken">Fires when the run is cancelled, the lease is lost or the worker stops.</param>
    /// <returns>How the claim ended.</returns>
    /// <exception cref="WorkflowFailedException">The workflow or one of its executors failed.</exception>
    public async Task<AgentRunOutcome> RunAsync(AgentRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var agent = run.Agent as IWorkflowAgent
            ?? throw new InvalidOperationException($"Agent '{run.Agent.Name}' is of kind '{run.Agent.Kind}' but is not an {nameof(IWorkflowAgent)}.");
        var lease = run.Lease;
        var claimed = lease.Checkpoint;
        var input = run.Input;
        var outputs = new List<JsonElement>(RecordedOutputs(claimed));
        var chat = options.Value.ChatCacheTtl is { } ttl ? new CachedChatClient(run.Chat, toolCache, ttl) : run.Chat;
        // Built before the store it reads from, so a tool call always asks for the step being worked on.
        ValkeyCheckpointStore? store = null;
        var tools = new SuperstepTools(run, () => store!.LastStep + 1);
        var workflow = agent.Build(new WorkflowRunContext(lease.RunId, agent.Name, claimed.Attempt, input, run.TypedInput, tools, chat));
        store = new ValkeyCheckpointStore(checkpoints, lease)
        {
            DescribeStep = () => new { outputs = outputs.ToArray() },
            StartExecutorId = workflow.StartExecutorId,
        };
        var manager = CheckpointManager.CreateJson(store, agent.SerializerOptions);

        var resumeFrom = LastCheckpointId(claimed);
        if (resumeFrom is not null && await EndedAtAsync(lease.RunId, resumeFrom).ConfigureAwait(false) is { } ended)
        {
            // Agent Framework commits a superstep's checkpoint before that superstep's output reaches this runner, and
            // a workflow resumed from the checkpoint where it ended never runs again: the claim that committed it ended
            // before the output step. Run that last superstep again from its parent, committing nothing (its tools
            // answer from the cache), to see its output.
            var replayed = await ReplayAsync(lease.RunId, agent, workflow, run.TypedInput, ended.Parent, cancellationToken).ConfigureAwait(false);
            outputs.AddRange(replayed.Where(output => !outputs.Any(recorded => recorded.GetRawText() == output.GetRawText())));
            return await CommitOutputAsync(lease, outputs, store.LastStep).ConfigureAwait(false);
        }

        await using var streaming = resumeFrom is null
            ? await agent.StartAsync(workflow, run.TypedInput, manager, lease.RunId, cancellationToken).ConfigureAwait(false)
            : await InProcessExecution.ResumeStreamingAsync(workflow, new CheckpointInfo(lease.RunId, resumeFrom), manager, cancellationToken).ConfigureAwait(false);

        var unanswered = new List<ExternalRequest>();
        // The stream ends when the workflow is idle or halts on a request; after an answer it is watched again.
        bool answered;
        do
        {
            answered = false;
            await foreach (var evt in streaming.WatchStreamAsync(blockOnPendingRequest: false, cancellationToken).ConfigureAwait(false))
            {
                switch (evt)
                {
                    case WorkflowOutputEvent output when output.Data is { } data:
                        outputs.Add(JsonSerializer.SerializeToElement(data, data.GetType(), agent.SerializerOptions));
                        break;
                    case RequestInfoEvent request when run.ApprovalFor(store.LastStep + 1) is { } decision:
                        // A person decided while the run waited: the request, published again on resume, gets the answer.
                        await streaming.SendResponseAsync(Respond(request.Request, decision)).ConfigureAwait(false);
                        answered = true;
                        break;
                    case RequestInfoEvent request:
                        unanswered.Add(request.Request);
                        break;
                    case WorkflowErrorEvent error when Refusal(error.Exception) is { } refusal:
                        if (refusal.Outcome == WorkflowCheckpointOutcome.Stopped)
                        {
                            // Cancelled or deleted: let go of the lease and the queue entry; a fenced worker touches neither.
                            await lease.StopAsync().ConfigureAwait(false);
                        }

                        return AgentRunOutcome.Refused;
                    case WorkflowErrorEvent error:
                        throw new WorkflowFailedException($"The workflow failed: {error.Exception?.Message}", error.Exception);
                    case ExecutorFailedEvent failed:
                        throw new WorkflowFailedException($"Executor '{failed.ExecutorId}' failed: {failed.Data?.Message}", failed.Data);
                }
            }
        }
        while (answered && !cancellationToken.IsCancellationRequested);

        // A stream cut short by cancellation is not the end of the workflow.
        cancellationToken.ThrowIfCancellationRequested();
        if (unanswered.Count > 0)
        {
            // Every checkpoint of the superstep that asked is committed by now, so the step number is stable.
            var prompt = string.Join("\n", unanswered.Select(request => Prompt(request, agent.SerializerOptions)));
            var waited = await lease.AwaitApprovalAsync(store.LastStep + 1, prompt).ConfigureAwait(false);
            return waited.Changed ? AgentRunOutcome.Waiting : AgentRunOutcome.Refused;
        }

        return await CommitOutputAsync(lease, outputs, store.LastStep).ConfigureAwait(false);
    }

    private static async Task<AgentRunOutcome> CommitOutputAsync(RunLease lease, List<JsonElement> outputs, int supersteps)
    {
        var result = outputs.Count switch
        {
            0 => JsonSerializer.SerializeToElement<object?>(null),
            1 => outputs[0],
            _ => JsonSerializer.SerializeToElement(outputs),
        };
        var details = JsonSerializer.Serialize(new { outputs = outputs.Count, supersteps });
        var committed = await lease.CommitStepAsync(supersteps + 1, OutputStepName, result.GetRawText(), details, isLastStep: true).ConfigureAwait(false);
        return committed == CommitOutcome.Completed ? AgentRunOutcome.Completed : AgentRunOutcome.Refused;
    }

    // A checkpoint with no queued message and no open request is where the workflow ended; its parent, if any, is
    // where the last superstep began. Null for a checkpoint with work left (or of a layout not known here).
    private async Task<EndedCheckpoint?> EndedAtAsync(string runId, string checkpointId)
    {
        var json = await checkpoints.LoadAsync(runId, checkpointId).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("runnerData", out var runner)
            || !runner.TryGetProperty("queuedMessages", out var queued) || !IsEmpty(queued)
            || !runner.TryGetProperty("outstandingRequests", out var requests) || !IsEmpty(requests))
        {
            return null;
        }

        var parent = root.TryGetProperty("parent", out var parentInfo) && parentInfo.ValueKind == JsonValueKind.Object
            && parentInfo.TryGetProperty("checkpointId", out var parentId)
                ? parentId.GetString()
                : null;
        return new EndedCheckpoint(parent);

        static bool IsEmpty(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => !element.EnumerateObject().Any(),
            JsonValueKind.Array => element.GetArrayLength() == 0,
            JsonValueKind.Null => true,
            _ => false,
        };
    }

    // Runs the workflow from the parent checkpoint (or from the start) to its end, in memory, and returns its outputs.
    private async Task<List<JsonElement>> ReplayAsync(string runId, IWorkflowAgent agent, Workflow workflow, object input, string? parent, CancellationToken cancellationToken)
    {
        var manager = CheckpointManager.CreateJson(new ReplayCheckpointStore(checkpoints), agent.SerializerOptions);
        await using var run = parent is null
            ? await agent.StartAsync(workflow, input, manager, runId, cancellationToken).ConfigureAwait(false)
            : await InProcessExecution.ResumeStreamingAsync(workflow, new CheckpointInfo(runId, parent), manager, cancellationToken).ConfigureAwait(false);
        var outputs = new List<JsonElement>();
        await foreach (var evt in run.WatchStreamAsync(blockOnPendingRequest: false, cancellationToken).ConfigureAwait(false))
        {
            switch (evt)
            {
                case WorkflowOutputEvent output when output.Data is { } data:
                    outputs.Add(JsonSerializer.SerializeToElement(data, data.GetType(), agent.SerializerOptions));
                    break;
                case WorkflowErrorEvent error:
                    throw new WorkflowFailedException($"The workflow failed: {error.Exception?.Message}", error.Exception);
                case ExecutorFailedEvent failed:
                    throw new WorkflowFailedException($"Executor '{failed.ExecutorId}' failed: {failed.Data?.Message}", failed.Data);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return outputs;
    }

    private sealed record EndedCheckpoint(string? Parent);

    // The checkpoint named by the run's last committed superstep: consistent with current_step under the fence.
    private static string? LastCheckpointId(AgentState.Checkpoints.RunCheckpoint checkpoint)
    {
        var last = checkpoint.Steps.Count > 0 ? checkpoint.Steps[^1] : null;
        if (last is null)
        {
            return null;
        }

        using var result = JsonDocument.Parse(last.ResultJson);
        return result.RootElement.ValueKind == JsonValueKind.Object && result.RootElement.TryGetProperty("checkpointId", out var id) ? id.GetString() : null;
    }

    // Outputs yielded up to the last committed superstep travel in its step result, so a resumed run keeps them.
    private static JsonElement[] RecordedOutputs(AgentState.Checkpoints.RunCheckpoint checkpoint)
    {
        var last = checkpoint.Steps.Count > 0 ? checkpoint.Steps[^1] : null;
        if (last is null)
        {
            return [];
        }

        using var result = JsonDocument.Parse(last.ResultJson);
        return result.RootElement.ValueKind == JsonValueKind.Object
            && result.RootElement.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
            && details.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array
                ? outputs.EnumerateArray().Select(output => output.Clone()).ToArray()
                : [];
    }

    private static ExternalResponse Respond(ExternalRequest request, ApprovalDecision decision) =>
        request.PortInfo.ResponseType.IsMatch<bool>() ? request.CreateResponse(decision.Approved) : request.CreateResponse(decision);

    private static string Prompt(ExternalRequest request, JsonSerializerOptions options) =>
        request.TryGetDataAs<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : $"The workflow asks on port '{request.PortInfo.PortId}': {JsonSerializer.Serialize(request.Data, options)}";

    private static CheckpointRefusedException? Refusal(Exception? exception) => exception switch
    {
        null => null,
        CheckpointRefusedException refused => refused,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Refusal).FirstOrDefault(found => found is not null),
        _ => Refusal(exception.InnerException),
    };
}
