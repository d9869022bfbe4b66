using System.Diagnostics;
using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.Agents.Chat;
using AgentAspire.Agents.Journaling;
using AgentAspire.Agents.Running;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tools;

namespace AgentAspire.AgentWorker;

/// <summary>
/// The runner of step agents (<see cref="AgentKinds.Steps"/>): runs the steps after the last committed one, each with
/// the worker's timeout and retries, every earlier result restored, and commits each step atomically.
/// </summary>
public sealed partial class StepAgentRunner(ToolCache toolCache, StepPipeline stepPipeline, ModelPrices prices, RunStore store, ILogger<StepAgentRunner> logger) : IAgentRunner
{
    /// <inheritdoc />
    public string Kind => AgentKinds.Steps;

    /// <inheritdoc />
    public async Task<AgentRunOutcome> RunAsync(AgentRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var agent = run.Agent as IStepAgent
            ?? throw new InvalidOperationException($"Agent '{run.Agent.Name}' is of kind '{AgentKinds.Steps}' but is not an {nameof(IStepAgent)}.");
        var lease = run.Lease;
        var checkpoint = lease.Checkpoint;
        // Every earlier result is restored, so a resumed step sees exactly what an uninterrupted one would.
        var results = checkpoint.Steps.ToDictionary(step => step.Name, step => JsonDocument.Parse(step.ResultJson).RootElement.Clone());

        if (checkpoint.CurrentStep >= agent.Steps.Count)
        {
            return (await lease.CompleteAsync().ConfigureAwait(false)).Changed ? AgentRunOutcome.Completed : AgentRunOutcome.Refused;
        }

        // A replay's calls are answered from the record of the run it replays, read once per claim and step.
        var replay = checkpoint.Replay;
        var original = replay is null ? null : await store.GetAsync(replay.Of).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {lease.RunId} replays run '{replay.Of}', whose record has expired or was deleted.");
        var progress = new ReplayProgress();

        for (var number = checkpoint.CurrentStep + 1; number <= agent.Steps.Count; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = agent.Steps[number - 1];
            using var activity = AgentTelemetry.ActivitySource.StartActivity(AgentTelemetry.StepSpan);
            activity?.SetTag(AgentTelemetry.RunIdAttribute, lease.RunId);
            activity?.SetTag(AgentTelemetry.AgentNameAttribute, agent.Name);
            activity?.SetTag(AgentTelemetry.StepAttribute, number);
            activity?.SetTag("agent.step_name", step.Name);

            // Model calls, loop tool calls and decisions of the step are recorded before it uses them, and answered
            // from the record when the step runs again.
            var approval = run.ApprovalFor(number);
            var source = replay is not null && original is not null && replay.AnswersFromRecord(number)
                ? new ReplaySource(await store.ReadJournalAsync(replay.Of, number, original.JournalCounts.GetValueOrDefault(number)).ConfigureAwait(false), replay.StopsOnDivergence, progress)
                : null;
            var journal = new StepJournal(lease, number, await lease.ReadJournalAsync(number).ConfigureAwait(false), run.Spend, approval, prices, logger, source);
            var chat = new JournaledChatClient(run.Chat, journal);
            // The step's own runner, not run.ToolsFor: its counts go into the step's log entry.
            var tools = new CachedToolRunner(toolCache, lease, ToolInvocation.For(lease.RunId, number, checkpoint.Attempt), agent.Name, journal);
            var started = Stopwatch.GetTimestamp();
            var tries = 0;
            StepResult result;
            try
            {
                result = await stepPipeline.ExecuteAsync(
                    ct =>
                    {
                        journal.Restart();
                        return new ValueTask<StepResult>(step.ExecuteAsync(new StepContext(
                            lease.RunId, agent.Name, number, step.Name, checkpoint.Attempt, run.Input, results, tools, chat,
                            approval, ct) { Retry = tries++, TypedInput = run.TypedInput }));
                    },
                    (retry, ex) => LogRetryAsync(lease, number, retry, ex),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RunPausedException pause)
            {
                // A budget reached or a tool that asks first: the run waits like a step that asked, and goes on from its journal.
                result = StepResult.AwaitApproval(pause.Prompt);
            }
            catch (ReplayDivergedException diverged)
            {
                // The replay's result: the code asks something its record does not hold.
                return (await lease.DivergeAsync(diverged.Details).ConfigureAwait(false)).Changed ? AgentRunOutcome.Diverged : AgentRunOutcome.Refused;
            }

            var duration = Stopwatch.GetElapsedTime(started);
            AgentTelemetry.StepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(AgentTelemetry.AgentNameAttribute, agent.Name));

            if (result.ApprovalPrompt is { } prompt)
            {
                return (await lease.AwaitApprovalAsync(number, prompt).ConfigureAwait(false)).Changed ? AgentRunOutcome.Waiting : AgentRunOutcome.Refused;
            }

            var value = result.Value ?? JsonSerializer.SerializeToElement<object?>(null);
            var details = LogDetailsJson.Write(new StepCommittedDetails(number, Math.Round(duration.TotalMilliseconds, 3), tools.Calls, tools.CacheHits));
            var outcome = await lease.CommitStepAsync(number, step.Name, value.GetRawText(), details, isLastStep: number == agent.Steps.Count).ConfigureAwait(false);
            activity?.SetTag("agent.commit", outcome.ToString());
            switch (outcome)
            {
                case CommitOutcome.Committed:
                    AgentTelemetry.StepsCompleted.Add(1);
                    results[step.Name] = value;
                    continue;
                case CommitOutcome.Completed:
                    AgentTelemetry.StepsCompleted.Add(1);
                    return AgentRunOutcome.Completed;
                default:
                    // Fenced, cancelled, deleted or already committed elsewhere: this worker stops without writing.
                    LogCommitRefused(logger, lease.RunId, number, outcome);
                    return AgentRunOutcome.Refused;
            }
        }

        // Not reached: the last step's commit completes the run or is refused.
        return AgentRunOutcome.Refused;
    }

    private async ValueTask LogRetryAsync(RunLease lease, int step, int retry, Exception ex)
    {
        LogStepRetry(logger, ex, lease.RunId, step, retry);
        var details = LogDetailsJson.Write(new StepRetryDetails(retry, $"{ex.GetType().Name}: {ex.Message}"));
        await lease.AppendAsync(LogActions.StepRetry, details, step).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: commit of step {Step} refused ({Outcome}); stopping.")]
    private static partial void LogCommitRefused(ILogger logger, string runId, int step, CommitOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: step {Step} failed, retry {Retry}.")]
    private static partial void LogStepRetry(ILogger logger, Exception exception, string runId, int step, int retry);
}
