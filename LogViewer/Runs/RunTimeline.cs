using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.LogViewer.Runs;

/// <summary>Builds a run's step timeline from its checkpoint and its activity log: plain data in, plain data out.</summary>
public static class RunTimeline
{
    /// <summary>
    /// Committed steps with their results, the step the run is at (running, waiting, failed or cancelled), and the
    /// agent's remaining steps as pending when <paramref name="agentSteps"/> names them.
    /// </summary>
    public static IReadOnlyList<StepView> Build(RunCheckpoint run, IReadOnlyList<LogEntry> log, IReadOnlyList<string>? agentSteps = null)
    {
        var steps = new List<StepView>();
        foreach (var step in run.Steps)
        {
            var (calls, hits) = CountToolCalls(log, step.Step);
            steps.Add(new StepView(step.Step, step.Name, StepStates.Done, Duration(log, step.Step, step.Name), calls, hits, step.ResultJson));
        }

        var next = steps.Count == 0 ? run.CurrentStep + 1 : Math.Max(run.CurrentStep, steps[^1].Step) + 1;
        var nextState = run.Status switch
        {
            RunStatus.InProgress => StepStates.Running,
            RunStatus.Waiting => StepStates.Waiting,
            RunStatus.Failed => StepStates.Failed,
            RunStatus.Cancelled => StepStates.Cancelled,
            _ => StepStates.Pending,
        };
        var total = agentSteps?.Count ?? 0;
        if (run.Status != RunStatus.Complete && (next <= total || nextState != StepStates.Pending))
        {
            var (calls, hits) = CountToolCalls(log, next);
            steps.Add(new StepView(next, StepName(agentSteps, next), nextState, null, calls, hits, null));
        }

        for (var step = next + 1; step <= total && run.Status != RunStatus.Complete; step++)
        {
            steps.Add(new StepView(step, StepName(agentSteps, step), StepStates.Pending, null, 0, 0, null));
        }

        return steps.Select(step => run.StepUsage.TryGetValue(step.Step, out var usage) ? step with { Usage = usage } : step).ToList();
    }

    /// <summary>Whether a log entry is a tool call answered from the cache (<see cref="ToolCallDetails.CacheHit"/>).</summary>
    public static bool IsCacheHit(LogEntry entry) =>
        entry.Action == LogActions.ToolCall && LogDetailsJson.TryRead<ToolCallDetails>(entry, out var details) && details.CacheHit;

    private static (int Calls, int Hits) CountToolCalls(IReadOnlyList<LogEntry> log, int step)
    {
        var calls = 0;
        var hits = 0;
        foreach (var entry in log)
        {
            if (entry.Action == LogActions.ToolCall && entry.Step == step)
            {
                calls++;
                hits += IsCacheHit(entry) ? 1 : 0;
            }
        }

        return (calls, hits);
    }

    private static TimeSpan? Duration(IReadOnlyList<LogEntry> log, int step, string name) =>
        StepSpans.Committed(log, step, name) is { } span ? span.End - span.Start : null;

    private static string StepName(IReadOnlyList<string>? agentSteps, int step) =>
        agentSteps is not null && step <= agentSteps.Count ? agentSteps[step - 1] : $"step {step}";
}
