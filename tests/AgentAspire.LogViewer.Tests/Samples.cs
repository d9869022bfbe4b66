using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Journal;
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

    /// <summary>A research-loop run: one step, four model turns with three tool calls between them (the second a cache hit).</summary>
    public static RunCheckpoint LoopRun(string status = RunStatus.Complete) => new()
    {
        RunId = "run-loop",
        Agent = "research-loop",
        Status = status,
        CurrentStep = status == RunStatus.Complete ? 1 : 0,
        InputJson = """{"question":"How does a run resume after a crash?","maxTurns":6}""",
        CreatedAt = Start,
        UpdatedAt = Start.AddSeconds(1),
        Steps = status == RunStatus.Complete
            ? [new StepCheckpoint(1, "investigate", """{"answer":"It resumes at the step after the last commit.","turns":4,"toolCalls":[],"turnLimitReached":false,"model":"test-model"}""", Start.AddSeconds(1))]
            : [],
        Usage = new ModelUsage(400, 60, 0, 2_100, 4),
        StepUsage = new Dictionary<int, ModelUsage> { [1] = new ModelUsage(400, 60, 0, 2_100, 4) },
    };

    /// <summary>The log of <see cref="LoopRun"/>: claimed at 100 ms, a model turn every 200 ms, each 50 ms long, then a tool; committed at 1000 ms.</summary>
    public static IReadOnlyList<LogEntry> LoopLog(bool committed = true, bool replayedFirstTurn = false)
    {
        string[] tools = ["web_search", "text_stats", "lookup_glossary"];
        var entries = new List<LogEntry>
        {
            Entry(0, LogActions.Queued, LogDetailsJson.Write(new QueuedDetails("research-loop")), 0, 0),
            Entry(1, LogActions.Started, LogDetailsJson.Write(new ClaimedDetails(1, 1)), 0, 100),
        };
        for (var turn = 0; turn < 4; turn++)
        {
            var replayed = replayedFirstTurn && turn == 0;
            var asked = turn < 3 ? new[] { tools[turn] } : null;
            var at = 300 + turn * 200;
            entries.Add(Entry(entries.Count, LogActions.ModelCall, LogDetailsJson.Write(new ModelCallDetails(
                "test-model", turn * 2 + 1, 100, 15, 0, 0.000525m, replayed ? 0 : 50, asked is null ? "stop" : "tool_calls", replayed, asked)), 1, at));
            if (asked is not null)
            {
                entries.Add(Entry(entries.Count, LogActions.ToolCall, LogDetailsJson.Write(new ToolCallDetails(
                    asked[0], turn == 1, $"tool:cache:{asked[0]}:{{abc}}", 10, Turn: turn * 2 + 2)), 1, at + 20));
            }
        }

        if (committed)
        {
            entries.Add(Entry(entries.Count, "investigate", LogDetailsJson.Write(new StepCommittedDetails(1, 900, 3, 1)), 1, 1000));
        }

        return entries;
    }

    public static RunSummary Summary(string state)
    {
        var run = Run(state);
        return new RunSummary(run.RunId, run.Agent, run.Status, run.CurrentStep, run.CreatedAt, run.UpdatedAt, run.Error, InputSummary.Of(run.InputJson));
    }

    public static LogEntry Entry(int sequence, string action, string details, int step, int milliseconds) =>
        new($"{Start.ToUnixTimeMilliseconds() + milliseconds}-{sequence}", action, details, Start.AddMilliseconds(milliseconds), step, 1, "w1");
}
