using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.LogViewer.Tests;

/// <summary>Plain runs in every state the viewer shows, built without Valkey.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static readonly IReadOnlyList<string> ResearchSteps = ["plan", "search", "analyze", "respond"];

    /// <summary>The states: a run's status, plus "empty" for a run with nothing committed and no status history.</summary>
    public static readonly IReadOnlyList<string> AllStates = ["empty", RunStatus.Queued, RunStatus.InProgress, RunStatus.Waiting, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Complete];

    public static TheoryData<string> States => [.. AllStates];

    public static RunCheckpoint Run(string state)
    {
        var committed = state switch
        {
            "empty" or RunStatus.Queued => 0,
            RunStatus.InProgress => 2,
            RunStatus.Waiting => 3,
            RunStatus.Failed => 1,
            RunStatus.Cancelled => 2,
            _ => 4,
        };
        return new RunCheckpoint
        {
            RunId = $"run-{state.Replace('_', '-')}",
            Agent = "research",
            Status = state == "empty" ? RunStatus.Queued : state,
            CurrentStep = committed,
            InputJson = """{"question":"How do runs resume?","stepDelayMs":0}""",
            CreatedAt = Start,
            UpdatedAt = Start.AddSeconds(committed),
            Error = state == RunStatus.Failed ? "search: the corpus is unavailable" : null,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            Steps = Enumerable.Range(1, committed)
                .Select(step => new StepCheckpoint(step, ResearchSteps[step - 1], $$"""{"step":{{step}},"text":"result of {{ResearchSteps[step - 1]}}"}""", Start.AddSeconds(step)))
                .ToList(),
            Approvals = state switch
            {
                RunStatus.Waiting => [new ApprovalCheckpoint(4, "Write and publish the answer to: How do runs resume?", null)],
                RunStatus.Complete => [new ApprovalCheckpoint(4, "Write and publish", """{"approved":true,"comment":"fine"}""")],
                _ => [],
            },
        };
    }

    /// <summary>The log a worker writes for <paramref name="run"/>: claim, per step two tool calls (the second a cache hit) and the commit.</summary>
    public static IReadOnlyList<LogEntry> Log(RunCheckpoint run)
    {
        var entries = new List<LogEntry> { Entry(0, LogActions.Queued, LogDetailsJson.Write(new QueuedDetails("research")), 0, 0) };
        if (run.Status == RunStatus.Queued && run.CurrentStep == 0)
        {
            return entries;
        }

        entries.Add(Entry(1, LogActions.Started, LogDetailsJson.Write(new ClaimedDetails(1, 1)), 0, 100));
        for (var step = 1; step <= run.CurrentStep; step++)
        {
            var at = step * 1000;
            entries.Add(Entry(entries.Count, LogActions.ToolCall, LogDetailsJson.Write(new ToolCallDetails("web_search", false, "tool:cache:web_search:{1}", 2)), step, at + 200));
            entries.Add(Entry(entries.Count, LogActions.ToolCall, LogDetailsJson.Write(new ToolCallDetails("web_search", true, "tool:cache:web_search:{1}", 0.1)), step, at + 300));
            entries.Add(Entry(entries.Count, ResearchSteps[step - 1], LogDetailsJson.Write(new StepCommittedDetails(step, 700, 2, 1)), step, at + 900));
        }

        return entries;
    }

    public static RunSummary Summary(string state)
    {
        var run = Run(state);
        return new RunSummary(run.RunId, run.Agent, run.Status, run.CurrentStep, run.CreatedAt, run.UpdatedAt, run.Error, InputSummary.Of(run.InputJson));
    }

    private static LogEntry Entry(int sequence, string action, string details, int step, int milliseconds) =>
        new($"{Start.ToUnixTimeMilliseconds() + milliseconds}-{sequence}", action, details, Start.AddMilliseconds(milliseconds), step, 1, "w1");
}
