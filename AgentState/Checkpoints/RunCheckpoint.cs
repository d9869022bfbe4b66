using System.Globalization;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Replays;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Checkpoints;

/// <summary>Everything the checkpoint HASH <c>agent:state:{RUNID}</c> holds about a run.</summary>
public sealed record RunCheckpoint
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }
    /// <summary>The agent that runs it.</summary>
    public required string Agent { get; init; }
    /// <summary>One of <see cref="RunStatus"/>.</summary>
    public required string Status { get; init; }
    /// <summary>The last committed step; 0 before the first.</summary>
    public int CurrentStep { get; init; }
    /// <summary>The run's input, as JSON.</summary>
    public string InputJson { get; init; } = "null";
    /// <summary>When the run was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>When the run last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>Why the run failed, if it did.</summary>
    public string? Error { get; init; }
    /// <summary>The fence token of the latest claim.</summary>
    public long Fence { get; init; }
    /// <summary>How many times the run was claimed.</summary>
    public int Attempt { get; init; }
    /// <summary>W3C trace context of the request that started the run.</summary>
    public string? TraceParent { get; init; }
    /// <summary>The run this one was forked from.</summary>
    public string? ForkedFrom { get; init; }
    /// <summary>Committed steps in order.</summary>
    public IReadOnlyList<StepCheckpoint> Steps { get; init; } = [];
    /// <summary>Approval requests and decisions by step.</summary>
    public IReadOnlyList<ApprovalCheckpoint> Approvals { get; init; } = [];
    /// <summary>What the run's model calls used in all, counted as each was recorded.</summary>
    public ModelUsage Usage { get; init; }
    /// <summary>What the model calls of each step used, by step number, for the steps that called a model.</summary>
    public IReadOnlyDictionary<int, ModelUsage> StepUsage { get; init; } = new Dictionary<int, ModelUsage>();
    /// <summary>The run's own budget, when it was started with one or a person raised it; null for the agent's default.</summary>
    public RunBudget? Budget { get; init; }
    /// <summary>What makes this run a replay of another; null for a run of its own.</summary>
    public RunReplay? Replay { get; init; }
    /// <summary>How many calls of each step its journal holds, by step number.</summary>
    public IReadOnlyDictionary<int, int> JournalCounts { get; init; } = new Dictionary<int, int>();

    /// <summary>Reads a checkpoint from the fields of HGETALL; <see langword="null"/> when the run does not exist.</summary>
    public static RunCheckpoint? FromHash(string runId, IEnumerable<KeyValuePair<string, string>> hash)
    {
        var fields = hash.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        if (!fields.TryGetValue(CheckpointFields.Status, out var status))
        {
            return null;
        }

        return new RunCheckpoint
        {
            RunId = runId,
            Agent = fields.GetValueOrDefault(CheckpointFields.Agent, ""),
            Status = status,
            CurrentStep = ParseInt(fields.GetValueOrDefault(CheckpointFields.CurrentStep)),
            InputJson = fields.GetValueOrDefault(CheckpointFields.Input, "null"),
            CreatedAt = UnixTime.Parse(fields.GetValueOrDefault(CheckpointFields.CreatedAt)),
            UpdatedAt = UnixTime.Parse(fields.GetValueOrDefault(CheckpointFields.UpdatedAt)),
            Error = fields.GetValueOrDefault(CheckpointFields.Error),
            Fence = ParseInt(fields.GetValueOrDefault(CheckpointFields.Fence)),
            Attempt = ParseInt(fields.GetValueOrDefault(CheckpointFields.Attempt)),
            TraceParent = fields.GetValueOrDefault(CheckpointFields.TraceParent),
            ForkedFrom = fields.GetValueOrDefault(CheckpointFields.ForkedFrom),
            Steps = ReadSteps(fields),
            Approvals = ReadApprovals(fields),
            Usage = ReadUsage(fields, name => name),
            StepUsage = StepNumbers(fields, CheckpointFields.ModelCallsOfStepPrefix)
                .ToDictionary(step => step, step => ReadUsage(fields, name => CheckpointFields.OfStep(name, step))),
            Budget = fields.ContainsKey(CheckpointFields.BudgetTokens) || fields.ContainsKey(CheckpointFields.BudgetCost)
                ? new RunBudget(ParseLong(fields.GetValueOrDefault(CheckpointFields.BudgetTokens)), ParseLong(fields.GetValueOrDefault(CheckpointFields.BudgetCost)))
                : null,
            Replay = fields.TryGetValue(CheckpointFields.ReplayOf, out var replayOf) && !string.IsNullOrEmpty(replayOf)
                ? new RunReplay(replayOf, fields.GetValueOrDefault(CheckpointFields.ReplayMode, ReplayModes.Recorded), ParseInt(fields.GetValueOrDefault(CheckpointFields.ReplayLiveAfter)))
                : null,
            JournalCounts = StepNumbers(fields, CheckpointFields.JournalCountPrefix)
                .ToDictionary(step => step, step => ParseInt(fields[CheckpointFields.JournalCount(step)])),
        };
    }

    private static ModelUsage ReadUsage(Dictionary<string, string> fields, Func<string, string> name) => new(
        ParseLong(fields.GetValueOrDefault(name(CheckpointFields.TokensIn))) ?? 0,
        ParseLong(fields.GetValueOrDefault(name(CheckpointFields.TokensOut))) ?? 0,
        ParseLong(fields.GetValueOrDefault(name(CheckpointFields.TokensCached))) ?? 0,
        ParseLong(fields.GetValueOrDefault(name(CheckpointFields.Cost))) ?? 0,
        ParseInt(fields.GetValueOrDefault(name(CheckpointFields.ModelCalls))));

    private static long? ParseLong(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    internal static RunCheckpoint? FromHash(string runId, HashEntry[] entries) =>
        FromHash(runId, entries.Select(entry => KeyValuePair.Create(entry.Name.ToString(), entry.Value.ToString())));

    private static List<StepCheckpoint> ReadSteps(Dictionary<string, string> fields) =>
        StepNumbers(fields, CheckpointFields.ResultPrefix)
            .Select(step => new StepCheckpoint(
                step,
                fields.GetValueOrDefault(CheckpointFields.StepName(step), $"step_{step}"),
                fields[CheckpointFields.Result(step)],
                UnixTime.Parse(fields.GetValueOrDefault(CheckpointFields.StepAt(step)))))
            .ToList();

    private static List<ApprovalCheckpoint> ReadApprovals(Dictionary<string, string> fields) =>
        StepNumbers(fields, CheckpointFields.ApprovalPromptPrefix)
            .Union(StepNumbers(fields, CheckpointFields.ApprovalPrefix))
            .Order()
            .Select(step => new ApprovalCheckpoint(
                step,
                fields.GetValueOrDefault(CheckpointFields.ApprovalPrompt(step)),
                fields.GetValueOrDefault(CheckpointFields.Approval(step))))
            .ToList();

    // "approval_" is also the start of "approval_prompt_": only a number may follow the prefix.
    private static IEnumerable<int> StepNumbers(Dictionary<string, string> fields, string prefix) =>
        fields.Keys
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(key => int.TryParse(key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : 0)
            .Where(step => step > 0)
            .Order();

    private static int ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
