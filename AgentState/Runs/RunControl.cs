using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Replays;
using AgentAspire.AgentState.Workflows;

namespace AgentAspire.AgentState.Runs;

/// <summary>
/// What a person may do to a run, as conditional transitions: cancel, resume, approve or reject, fork. Each one
/// checks the run's status and lease inside the transition script, so a race ends in one winner and a clear refusal.
/// </summary>
public sealed class RunControl(RunStore store, RunQueue queue, WorkflowCheckpoints workflowCheckpoints)
{
    /// <summary>
    /// Cancels a queued, running or waiting run. A queued run never starts; a running one stops at its next commit,
    /// or sooner if its step honours its cancellation token (its worker hears <see cref="AgentSignals.OnRunCancelledAsync"/>).
    /// </summary>
    public Task<TransitionResult> CancelAsync(string runId, string? reason = null) =>
        store.TransitionAsync(new RunTransition(runId, RunStateMachine.AllowedFrom(RunAction.Cancel), RunStatus.Cancelled,
            LogActions.Cancelled, LogDetailsJson.Write(new CancelledDetails(reason ?? "cancelled by request"))));

    /// <summary>
    /// Queues a failed or cancelled run again; it continues after its last committed step. Refused with
    /// <see cref="TransitionOutcome.Busy"/> while the worker that ran it has not let go yet.
    /// </summary>
    public async Task<TransitionResult> ResumeAsync(string runId)
    {
        var result = await store.TransitionAsync(new RunTransition(runId, RunStateMachine.AllowedFrom(RunAction.Resume), RunStatus.Queued,
            LogActions.ResumedByRequest)
        {
            Lease = RunTransition.FreeLease,
            Remove = [CheckpointFields.Error],
        }).ConfigureAwait(false);
        await QueueIfChangedAsync(runId, result).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Records a person's decision on the step a waiting run asked about, and queues the run so the step sees it. An
    /// approval may raise the run's budget in the same change (<paramref name="budget"/>: the limits it sets).
    /// </summary>
    public async Task<TransitionResult> DecideAsync(string runId, int step, bool approved, string? comment, RunBudget? budget = null)
    {
        // The id tells this decision from an earlier one on the same step: a step that pauses twice uses each once.
        var decision = JsonSerializer.Serialize(new { approved, comment, id = Guid.NewGuid().ToString("N") });
        var set = new Dictionary<string, string> { [CheckpointFields.Approval(step)] = decision };
        if (approved && budget?.Tokens is { } tokens)
        {
            set[CheckpointFields.BudgetTokens] = tokens.ToString(CultureInfo.InvariantCulture);
        }

        if (approved && budget?.CostMicros is { } cost)
        {
            set[CheckpointFields.BudgetCost] = cost.ToString(CultureInfo.InvariantCulture);
        }

        var result = await store.TransitionAsync(new RunTransition(runId, RunStateMachine.AllowedFrom(RunAction.Decide), RunStatus.Queued,
            approved ? LogActions.Approved : LogActions.Rejected, LogDetailsJson.Write(new DecisionDetails(step, comment)))
        {
            Set = set,
        }).ConfigureAwait(false);
        await QueueIfChangedAsync(runId, result).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Creates a new run of the same agent and input that keeps the steps before <paramref name="fromStep"/> and
    /// runs the rest again. Returns <see langword="null"/> when the source run does not exist.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromStep"/> is below 1 or past the source's last committed step + 1.</exception>
    public async Task<CreateRunResult?> ForkAsync(string runId, int fromStep, string newRunId, string? traceParent = null)
    {
        var source = await store.GetAsync(runId).ConfigureAwait(false);
        if (source is null)
        {
            return null;
        }

        if (fromStep < 1 || fromStep > source.CurrentStep + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fromStep), fromStep,
                $"fromStep must be between 1 and {source.CurrentStep + 1} (the step after the last committed one).");
        }

        var carried = source.Steps.Where(step => step.Step < fromStep).ToList();
        // A workflow run resumes from the checkpoint its last kept step names: the fork holds them under its own id
        // before a worker can claim it. Other agents have no checkpoints, and nothing is copied.
        await workflowCheckpoints.CopyAsync(runId, newRunId, carried.Count).ConfigureAwait(false);

        return await store.CreateAsync(new NewRun(newRunId, source.Agent, source.InputJson, RequestHash: $"fork:{runId}:{fromStep}", traceParent)
        {
            CarriedSteps = carried,
            ForkedFrom = runId,
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a replay of <paramref name="runId"/>: a new run of the same agent, input, budget and decisions, linked
    /// by <c>replay_of</c>, whose calls are answered from the replayed run's journal as <paramref name="mode"/> says.
    /// Only an ended run whose record is still whole is replayed.
    /// </summary>
    public async Task<ReplayStart> ReplayAsync(string runId, string mode, int liveAfterStep, string newRunId, string? traceParent = null)
    {
        var source = await store.GetAsync(runId).ConfigureAwait(false);
        if (source is null)
        {
            return new ReplayStart(ReplayStartOutcome.NotFound, null, null);
        }

        if (!RunStatus.IsFinal(source.Status))
        {
            return new ReplayStart(ReplayStartOutcome.NotEnded, source, null);
        }

        if (source.JournalCounts.Values.Any(count => count > 0) && !await store.HasJournalAsync(runId).ConfigureAwait(false))
        {
            return new ReplayStart(ReplayStartOutcome.RecordExpired, source, null);
        }

        var created = await store.CreateAsync(new NewRun(newRunId, source.Agent, source.InputJson, RequestHash: $"replay:{runId}:{mode}:{liveAfterStep}:{newRunId}", traceParent)
        {
            Replay = new RunReplay(runId, mode, liveAfterStep),
            Budget = source.Budget,
            CarriedApprovals = source.Approvals.Where(approval => approval.DecisionJson is not null).ToList(),
        }).ConfigureAwait(false);
        return new ReplayStart(ReplayStartOutcome.Created, source, created);
    }

    private async Task QueueIfChangedAsync(string runId, TransitionResult result)
    {
        if (result.Changed)
        {
            await queue.EnqueueAsync(runId, traceParent: null).ConfigureAwait(false);
        }
    }
}
