using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// A run drawn over time: each step as a bar from its start to its commit, and under it its model turns and tool calls,
/// placed by their log timestamps (an entry is written when its call ended) and durations. Plain data in, plain data out;
/// the page draws the bars with CSS.
/// </summary>
/// <param name="Span">From the start of the first bar to the end of the last.</param>
/// <param name="Bars">Steps in order, each followed by its calls in log order.</param>
/// <param name="Omitted">Calls left out past <see cref="MaxBars"/>.</param>
public sealed record RunWaterfall(TimeSpan Span, IReadOnlyList<WaterfallBar> Bars, int Omitted)
{
    /// <summary>The most bars drawn: a long loop's later calls are counted, not drawn.</summary>
    public const int MaxBars = 300;

    /// <summary>The narrowest bar, in percent of the width, so a call that took no time still shows.</summary>
    public const double MinWidth = 0.5;

    /// <summary>Nothing to draw.</summary>
    public static RunWaterfall Empty { get; } = new(TimeSpan.Zero, [], 0);

    /// <summary>The waterfall of <paramref name="run"/> from its <paramref name="log"/>.</summary>
    /// <param name="run">The checkpoint: committed steps, where the run is, and each step's model usage.</param>
    /// <param name="log">The run's activity log, oldest first.</param>
    /// <param name="agentSteps">The agent's step names, to name the step that has not committed yet.</param>
    public static RunWaterfall Build(RunCheckpoint run, IReadOnlyList<LogEntry> log, IReadOnlyList<string>? agentSteps = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(log);
        var steps = new List<Timed>();
        foreach (var step in run.Steps)
        {
            steps.Add(StepBar(run, log, step.Step, step.Name, StepSpans.Committed(log, step.Step, step.Name)));
        }

        var next = (run.Steps.Count == 0 ? run.CurrentStep : Math.Max(run.CurrentStep, run.Steps[^1].Step)) + 1;
        var nextHasWork = log.Any(entry => StepSpans.IsOwnWork(entry, next));
        if (run.Status != RunStatus.Complete && (nextHasWork || run.Status is RunStatus.InProgress or RunStatus.Waiting))
        {
            var name = agentSteps is not null && next <= agentSteps.Count ? agentSteps[next - 1] : $"step {next}";
            steps.Add(StepBar(run, log, next, name, StepSpans.Open(log, next)));
        }

        var shown = steps.Where(step => step.Start is not null).ToList();
        if (shown.Count == 0)
        {
            return Empty;
        }

        var origin = shown.Min(step => step.Start!.Value);
        var end = shown.Max(step => step.End!.Value);
        var span = end - origin;
        var scale = span > TimeSpan.Zero ? span : TimeSpan.FromMilliseconds(1);
        var bars = new List<WaterfallBar>();
        var omitted = 0;
        foreach (var step in shown)
        {
            bars.Add(Place(step, origin, scale));
            foreach (var call in step.Calls)
            {
                if (bars.Count >= MaxBars)
                {
                    omitted++;
                    continue;
                }

                bars.Add(Place(call, origin, scale));
            }
        }

        return new RunWaterfall(span, bars, omitted);
    }

    private static Timed StepBar(RunCheckpoint run, IReadOnlyList<LogEntry> log, int number, string name, (DateTimeOffset Start, DateTimeOffset End)? own)
    {
        var calls = log.Where(entry => entry.Step == number).Select(Call).OfType<Timed>().ToList();
        var start = Earliest(own?.Start, calls.Select(call => call.Start));
        var end = Latest(own?.End, calls.Select(call => call.End));
        long? tokens = run.StepUsage.TryGetValue(number, out var usage) ? usage.TotalTokens : null;
        var toolCalls = calls.Count(call => call.Bar.Kind == WaterfallBarKinds.Tool);
        var hits = calls.Count(call => call.Bar.CacheHit);
        var meta = new List<string?>
        {
            start is { } s && end is { } e ? Ages.Format(e - s) : null,
            tokens is { } count ? $"{UsageText.Tokens(count)} tok" : null,
            usage.CostMicros != 0 ? $"cost {UsageText.Cost(usage.Cost)}" : null,
            toolCalls > 0 ? $"{toolCalls} tool {(toolCalls == 1 ? "call" : "calls")}, {hits} cache {(hits == 1 ? "hit" : "hits")}" : null,
        };
        var bar = new WaterfallBar(WaterfallBarKinds.Step, number, $"{number} {name}", TimeSpan.Zero, TimeSpan.Zero, 0, 0, Join(meta), tokens);
        return new Timed(bar, start, end, calls);
    }

    // A call's entry is written when it ended: it started its duration earlier.
    private static Timed? Call(LogEntry entry)
    {
        if (entry.Timestamp is not { } end)
        {
            return null;
        }

        if (entry.Action == LogActions.ModelCall && LogDetailsJson.TryRead<ModelCallDetails>(entry, out var model))
        {
            var tokens = model.InputTokens + model.OutputTokens;
            var meta = new List<string?>
            {
                model.Replayed ? "replayed" : model.Recorded ? "from the record" : LogEntryLine.Milliseconds(model.DurationMs),
                $"{UsageText.Tokens(tokens)} tok",
                model.CachedInputTokens > 0 ? $"{UsageText.Tokens(model.CachedInputTokens)} cached" : null,
                model.Cost != 0 ? UsageText.Cost(model.Cost) : null,
                model.ToolCalls is { Count: > 0 } tools ? $"→ {string.Join(", ", tools)}" : model.FinishReason,
            };
            var bar = new WaterfallBar(WaterfallBarKinds.Model, entry.Step, $"turn {model.Turn} · {model.Model}", TimeSpan.Zero,
                Duration(model.DurationMs), 0, 0, Join(meta), tokens, Replayed: model.Replayed || model.Recorded, Turn: model.Turn);
            return new Timed(bar, end - bar.Duration, end, []);
        }

        if (entry.Action == LogActions.ToolCall && LogDetailsJson.TryRead<ToolCallDetails>(entry, out var tool))
        {
            var meta = new List<string?>
            {
                tool.Replayed ? "replayed" : tool.Recorded ? "from the record" : LogEntryLine.Milliseconds(tool.DurationMs),
                tool.Replayed || tool.Recorded ? null : tool.CacheHit ? "cache hit" : "computed",
                tool.LockTakenOver ? "lock taken over" : null,
            };
            var bar = new WaterfallBar(WaterfallBarKinds.Tool, entry.Step, tool.Turn is { } turn ? $"turn {turn} · {tool.Tool}" : tool.Tool, TimeSpan.Zero,
                Duration(tool.DurationMs), 0, 0, Join(meta), CacheHit: tool.CacheHit, Replayed: tool.Replayed || tool.Recorded, Turn: tool.Turn);
            return new Timed(bar, end - bar.Duration, end, []);
        }

        return null;
    }

    private static WaterfallBar Place(Timed span, DateTimeOffset origin, TimeSpan scale)
    {
        var offset = span.Start!.Value - origin;
        var duration = span.End!.Value - span.Start.Value;
        var width = Math.Max(MinWidth, Math.Min(100, duration / scale * 100));
        var left = Math.Clamp(offset / scale * 100, 0, 100 - width);
        return span.Bar with { Offset = offset, Duration = duration, Left = left, Width = width };
    }

    private static TimeSpan Duration(double milliseconds) =>
        double.IsFinite(milliseconds) && milliseconds > 0 ? TimeSpan.FromMilliseconds(Math.Min(milliseconds, TimeSpan.FromDays(1).TotalMilliseconds)) : TimeSpan.Zero;

    private static DateTimeOffset? Earliest(DateTimeOffset? first, IEnumerable<DateTimeOffset?> others) =>
        others.Append(first).Where(time => time is not null).Min();

    private static DateTimeOffset? Latest(DateTimeOffset? first, IEnumerable<DateTimeOffset?> others) =>
        others.Append(first).Where(time => time is not null).Max();

    private static string Join(IEnumerable<string?> parts) => string.Join(" · ", parts.Where(part => !string.IsNullOrEmpty(part)));

    // A bar before it is placed: its times, and for a step the calls under it.
    private sealed record Timed(WaterfallBar Bar, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<Timed> Calls);
}
