using System.Text.Json;
using AgentAspire.Agents.Running;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

/// <summary>
/// The runner of <see cref="TallyAgent.KindName"/> agents, registered by a test next to its agent: one committed step per
/// step name, its tool called through the run's tools of that step, every write under the run's lease.
/// </summary>
public sealed class TallyRunner(CountingTool tool) : IAgentRunner
{
    private int _runs;

    /// <summary>How many claims this runner was handed.</summary>
    public int Runs => Volatile.Read(ref _runs);

    public string Kind => TallyAgent.KindName;

    public async Task<AgentRunOutcome> RunAsync(AgentRun run, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        var input = (GateInput)run.TypedInput;
        var steps = run.Agent.StepNames;
        for (var step = run.Lease.Checkpoint.CurrentStep + 1; step <= steps.Count; step++)
        {
            var letters = await run.ToolsFor(step).CallAsync(tool, new CountLettersArgs(TallyAgent.TextFor(step, input)), cancellationToken);
            var details = LogDetailsJson.Write(new StepCommittedDetails(step, DurationMs: 0, ToolCalls: 1, CacheHits: 0));
            var outcome = await run.Lease.CommitStepAsync(step, steps[step - 1], JsonSerializer.Serialize(letters), details, isLastStep: step == steps.Count);
            if (outcome == CommitOutcome.Completed)
            {
                return AgentRunOutcome.Completed;
            }

            if (outcome != CommitOutcome.Committed)
            {
                return AgentRunOutcome.Refused;
            }
        }

        return (await run.Lease.CompleteAsync()).Changed ? AgentRunOutcome.Completed : AgentRunOutcome.Refused;
    }
}
