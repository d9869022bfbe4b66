using System.Globalization;
using AgentAspire.AgentState.Json;
using AgentAspire.AgentState.Logs;

namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// A log entry's details as one short line a person reads at a glance, for example
/// <c>test-model · turn 1 · 107 tok (80 in, 27 out) · 812 ms · tool_calls: web_search</c>; the JSON stays one click away.
/// </summary>
public static class LogEntryLine
{
    /// <summary>The longest line made from details this class does not know, before an ellipsis.</summary>
    public const int MaxUnknownLength = 120;

    private const string Separator = " · ";

    /// <summary>The line for <paramref name="entry"/>: known actions by their fields, anything else as its JSON, cut short.</summary>
    public static string Of(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var parts = Known(entry);
        if (parts is not null)
        {
            return string.Join(Separator, parts.Where(part => !string.IsNullOrEmpty(part)));
        }

        var text = StoredJson.Readable(entry.DetailsJson);
        return text is "{}" or "null" or "" ? "" : text.Length <= MaxUnknownLength ? text : text[..(MaxUnknownLength - 1)] + "…";
    }

    /// <summary>A duration in milliseconds as a person reads it: <c>0.4 ms</c>, <c>812 ms</c>, <c>2.3 s</c>.</summary>
    public static string Milliseconds(double milliseconds) =>
        milliseconds < 10 ? milliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms"
        : milliseconds < 1000 ? milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : Ages.Format(TimeSpan.FromMilliseconds(milliseconds));

    private static IEnumerable<string?>? Known(LogEntry entry) => entry.Action switch
    {
        LogActions.ModelCall when LogDetailsJson.TryRead<ModelCallDetails>(entry, out var call) => ModelCall(call),
        LogActions.ToolCall when LogDetailsJson.TryRead<ToolCallDetails>(entry, out var call) => ToolCall(call),
        LogActions.JournalMismatch when LogDetailsJson.TryRead<JournalMismatchDetails>(entry, out var mismatch) =>
            [$"turn {mismatch.Turn}", $"recorded {mismatch.Recorded}", $"requested {mismatch.Requested}"],
        LogActions.Queued when LogDetailsJson.TryRead<QueuedDetails>(entry, out var queued) =>
            [$"agent {queued.Agent}", queued.ForkedFrom is { } source ? $"forked from {source}" : null],
        LogActions.Started or LogActions.Resumed when LogDetailsJson.TryRead<ClaimedDetails>(entry, out var claim) =>
            [$"next step {claim.NextStep}", $"fence {claim.Fence}", string.IsNullOrEmpty(entry.Worker) ? null : $"worker {entry.Worker}"],
        LogActions.StepRetry when LogDetailsJson.TryRead<StepRetryDetails>(entry, out var retry) => [$"retry {retry.Retry}", retry.Error],
        LogActions.Released when LogDetailsJson.TryRead<ReleasedDetails>(entry, out var released) => [released.Reason],
        LogActions.Waiting when LogDetailsJson.TryRead<WaitingDetails>(entry, out var waiting) => [$"step {waiting.Step}", waiting.Prompt],
        LogActions.Approved or LogActions.Rejected when LogDetailsJson.TryRead<DecisionDetails>(entry, out var decision) =>
            [$"step {decision.Step}", decision.Comment],
        LogActions.Complete when LogDetailsJson.TryRead<CompleteDetails>(entry, out var complete) => [complete.Status],
        LogActions.Failed when LogDetailsJson.TryRead<FailedDetails>(entry, out var failed) => [failed.Error],
        LogActions.Cancelled when LogDetailsJson.TryRead<CancelledDetails>(entry, out var cancelled) => [cancelled.Reason],
        // Any other action is a committed step, logged under its own name.
        _ when !LogActions.All.Contains(entry.Action) && LogDetailsJson.TryRead<StepCommittedDetails>(entry, out var step) => StepCommitted(step),
        _ => null,
    };

    private static IEnumerable<string?> ModelCall(ModelCallDetails call)
    {
        yield return call.Model;
        yield return $"turn {call.Turn}";
        var cached = call.CachedInputTokens > 0 ? $", {UsageText.Tokens(call.CachedInputTokens)} cached" : "";
        yield return $"{UsageText.Tokens(call.InputTokens + call.OutputTokens)} tok ({UsageText.Tokens(call.InputTokens)} in{cached}, {UsageText.Tokens(call.OutputTokens)} out)";
        if (call.Cost != 0)
        {
            yield return UsageText.Cost(call.Cost);
        }

        yield return call.Replayed ? "replayed" : call.Recorded ? "from the record" : Milliseconds(call.DurationMs);
        if (call.ToolCalls is { Count: > 0 } tools)
        {
            yield return $"tool_calls: {string.Join(", ", tools)}";
        }
        else if (call.FinishReason is { Length: > 0 } reason)
        {
            yield return reason;
        }
    }

    private static IEnumerable<string?> ToolCall(ToolCallDetails call)
    {
        yield return call.Tool;
        yield return call.Turn is { } turn ? $"turn {turn}" : null;
        yield return call.Replayed ? "replayed" : call.Recorded ? "from the record" : call.CacheHit ? "cache hit" : "computed";
        yield return call.Replayed || call.Recorded ? null : Milliseconds(call.DurationMs);
        yield return call.LockTakenOver ? "lock taken over" : null;
    }

    private static IEnumerable<string?> StepCommitted(StepCommittedDetails step)
    {
        yield return $"step {step.Step} committed";
        yield return Milliseconds(step.DurationMs);
        if (step.ToolCalls > 0)
        {
            yield return $"{step.ToolCalls} tool {(step.ToolCalls == 1 ? "call" : "calls")}, {step.CacheHits} cache {(step.CacheHits == 1 ? "hit" : "hits")}";
        }
    }
}
