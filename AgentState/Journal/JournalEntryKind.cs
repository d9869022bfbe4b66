namespace AgentAspire.AgentState.Journal;

/// <summary>What a journal entry records.</summary>
public static class JournalEntryKind
{
    /// <summary>A model's answer to one request.</summary>
    public const string Model = "model";

    /// <summary>A tool's result for one call.</summary>
    public const string Tool = "tool";

    /// <summary>A person's decision on a pause (a budget crossed, a tool that asks first).</summary>
    public const string Decision = "decision";
}
