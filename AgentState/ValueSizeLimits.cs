using System.Text;

namespace AgentAspire.AgentState;

/// <summary>
/// Refuses a step result or a log entry's details larger than <see cref="AgentStateOptions"/> allows, before anything is
/// sent, so one oversized value cannot fill Valkey's memory or make every later read of the run slow.
/// </summary>
internal static class ValueSizeLimits
{
    /// <exception cref="ArgumentException">The result is larger than <see cref="AgentStateOptions.MaxStepResultBytes"/>.</exception>
    public static void ThrowIfStepResultTooLarge(string resultJson, AgentStateOptions options) =>
        ThrowIfTooLarge(resultJson, options.MaxStepResultBytes, "step result", nameof(AgentStateOptions.MaxStepResultBytes), "resultJson");

    /// <exception cref="ArgumentException">The details are larger than <see cref="AgentStateOptions.MaxLogDetailsBytes"/>.</exception>
    public static void ThrowIfLogDetailsTooLarge(string detailsJson, AgentStateOptions options) =>
        ThrowIfTooLarge(detailsJson, options.MaxLogDetailsBytes, "log entry's details", nameof(AgentStateOptions.MaxLogDetailsBytes), "detailsJson");

    /// <summary>A journal entry holds a model answer or a tool result: it is held to the limit of a step result.</summary>
    public static void ThrowIfJournalEntryTooLarge(string entryJson, AgentStateOptions options) =>
        ThrowIfTooLarge(entryJson, options.MaxStepResultBytes, "journal entry", nameof(AgentStateOptions.MaxStepResultBytes), "entry");

    private static void ThrowIfTooLarge(string json, int limit, string what, string option, string parameter)
    {
        // UTF-8 is at most three bytes per UTF-16 char: most values need no count at all.
        if (json.Length * 3L <= limit)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > limit)
        {
            throw new ArgumentException($"The {what} is {bytes:N0} bytes; at most {limit:N0} are stored (AgentState:{option}).", parameter);
        }
    }
}
