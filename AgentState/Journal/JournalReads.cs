using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Journal;

/// <summary>Reads a run's journal (<see cref="AgentKeys.Calls"/>): field <c>STEP:N</c> → a <see cref="JournalEntry"/>.</summary>
internal static class JournalReads
{
    /// <summary>The field of call <paramref name="slot"/> of step <paramref name="step"/>: <c>STEP:N</c>.</summary>
    public static string Field(int step, int slot) => string.Create(CultureInfo.InvariantCulture, $"{step}:{slot}");

    /// <summary>Calls 1 to <paramref name="count"/> of a step, in one HMGET; no round trip when there are none.</summary>
    public static async Task<IReadOnlyDictionary<int, JournalEntry>> ReadStepAsync(IDatabaseAsync database, string runId, int step, int count)
    {
        if (count <= 0)
        {
            return new Dictionary<int, JournalEntry>();
        }

        var fields = Enumerable.Range(1, count).Select(slot => (RedisValue)Field(step, slot)).ToArray();
        var values = await database.HashGetAsync(AgentKeys.Calls(runId), fields).ConfigureAwait(false);
        var entries = new Dictionary<int, JournalEntry>(count);
        for (var i = 0; i < values.Length; i++)
        {
            if (Parse(values[i]) is { } entry)
            {
                entries[i + 1] = entry;
            }
        }

        return entries;
    }

    /// <summary>Every entry of a journal read whole, by step and slot; fields that are not <c>STEP:N</c> are skipped.</summary>
    public static IReadOnlyDictionary<(int Step, int Slot), JournalEntry> ParseAll(HashEntry[] entries)
    {
        var calls = new Dictionary<(int Step, int Slot), JournalEntry>();
        foreach (var entry in entries)
        {
            var name = entry.Name.ToString();
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0
                && int.TryParse(name.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                && int.TryParse(name.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var slot)
                && Parse(entry.Value) is { } call)
            {
                calls[(step, slot)] = call;
            }
        }

        return calls;
    }

    private static JournalEntry? Parse(RedisValue value) =>
        value.HasValue ? JsonSerializer.Deserialize((string)value!, JournalJsonContext.Default.JournalEntry) : null;
}
