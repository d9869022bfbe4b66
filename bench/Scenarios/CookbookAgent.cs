using System.Globalization;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// The cookbook's <c>run_agent</c>, written plainly in C#: its exact commands for a fresh 3-step run whose tool
/// call hits the cache. 13 commands, each its own round trip, no atomicity, no lease, no queue.
/// </summary>
internal static class CookbookAgent
{
    public const string ToolKey = "tool:cache:web_search:0123456789ab";

    public static Task SeedToolCacheAsync(IDatabase db) =>
        db.StringSetAsync(ToolKey, """{"results":["Valkey streams keep an ordered log"]}""", TimeSpan.FromSeconds(600));

    public static async Task RunAsync(IDatabase db, string runId)
    {
        var state = $"agent:state:{runId}";
        var log = $"agent:log:{runId}";

        // load_checkpoint
        var checkpoint = await db.HashGetAllAsync(state).ConfigureAwait(false);
        var startStep = checkpoint.Length == 0 ? 1 : int.Parse(checkpoint.First(e => e.Name == "current_step").Value.ToString(), CultureInfo.InvariantCulture) + 1;

        if (startStep <= 1)
        {
            await LogActionAsync(db, log, "search", """{"query":"Valkey benchmarks"}""").ConfigureAwait(false);
            // cached_tool_call: GET, a hit
            var cached = await db.StringGetAsync(ToolKey).ConfigureAwait(false);
            if (cached.IsNullOrEmpty)
            {
                throw new InvalidOperationException("The cookbook's tool cache entry is missing.");
            }

            await SaveCheckpointAsync(db, state, 1, """{"search_results":["Valkey streams keep an ordered log","a HASH holds the checkpoint"]}""").ConfigureAwait(false);
        }

        if (startStep <= 2)
        {
            await LogActionAsync(db, log, "analyze", """{"input":"search results"}""").ConfigureAwait(false);
            await SaveCheckpointAsync(db, state, 2, """{"analysis":"Valkey streams keep an ordered log"}""").ConfigureAwait(false);
        }

        if (startStep <= 3)
        {
            await LogActionAsync(db, log, "respond", """{"status":"generating"}""").ConfigureAwait(false);
            await SaveCheckpointAsync(db, state, 3, """{"response":"Use a stream for the log."}""").ConfigureAwait(false);
        }

        // mark_complete, then the last log entry
        await db.HashSetAsync(state, [new("status", "complete")]).ConfigureAwait(false);
        await LogActionAsync(db, log, "complete", """{"status":"done"}""").ConfigureAwait(false);
    }

    private static async Task SaveCheckpointAsync(IDatabase db, string state, int step, string json)
    {
        await db.HashSetAsync(state,
        [
            new("current_step", step),
            new("status", "in_progress"),
            new($"result_step_{step}", json),
            new("updated_at", Now()),
        ]).ConfigureAwait(false);
        await db.KeyExpireAsync(state, TimeSpan.FromSeconds(86400)).ConfigureAwait(false);
    }

    private static Task<RedisValue> LogActionAsync(IDatabase db, string log, string action, string details) =>
        db.StreamAddAsync(log, [new("action", action), new("details", details), new("ts", Now())]);

    private static string Now() => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
}
