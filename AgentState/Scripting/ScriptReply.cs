using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>The outcome words the protocol scripts answer with, parsed once here.</summary>
internal enum ScriptOutcome
{
    /// <summary>A word this library does not know: a script and its caller disagree.</summary>
    Unknown,
    Created,
    Exists,
    Conflict,
    Claimed,
    Busy,
    Missing,
    Finished,
    Committed,
    Fenced,
    Stopped,
    OutOfOrder,
    Changed,
    Appended,
    Held,
    Saved,
    Failed,
    Recorded,
}

/// <summary>The reply every run script gives: an outcome word, a status, then optional data.</summary>
internal readonly record struct ScriptReply(ScriptOutcome Outcome, string Status, RedisResult[] Items)
{
    /// <summary>
    /// Whether the script appended to the run's log, so its live views are to be woken. A created run's first entry
    /// is announced by the queue's wake-up that follows it (<see cref="AgentSignals.OnRunQueuedAsync"/>).
    /// </summary>
    public bool AppendedToLog => Outcome is ScriptOutcome.Claimed or ScriptOutcome.Failed or ScriptOutcome.Committed or ScriptOutcome.Changed or ScriptOutcome.Appended or ScriptOutcome.Recorded;

    public static ScriptReply From(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return new ScriptReply(Parse((string?)items[0]), items.Length > 1 ? (string?)items[1] ?? "" : "", items);
    }

    private static ScriptOutcome Parse(string? word) => word switch
    {
        "created" => ScriptOutcome.Created,
        "exists" => ScriptOutcome.Exists,
        "conflict" => ScriptOutcome.Conflict,
        "claimed" => ScriptOutcome.Claimed,
        "busy" => ScriptOutcome.Busy,
        "missing" => ScriptOutcome.Missing,
        "finished" => ScriptOutcome.Finished,
        "committed" => ScriptOutcome.Committed,
        "fenced" => ScriptOutcome.Fenced,
        "stopped" => ScriptOutcome.Stopped,
        "out_of_order" => ScriptOutcome.OutOfOrder,
        "changed" => ScriptOutcome.Changed,
        "appended" => ScriptOutcome.Appended,
        "held" => ScriptOutcome.Held,
        "saved" => ScriptOutcome.Saved,
        "failed" => ScriptOutcome.Failed,
        "recorded" => ScriptOutcome.Recorded,
        _ => ScriptOutcome.Unknown,
    };
}
