using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>The reply every protocol script gives: an outcome word, a status, then optional data.</summary>
internal readonly record struct ScriptReply(string Outcome, string Status, RedisResult[] Items)
{
    public static ScriptReply From(RedisResult result)
    {
        var items = (RedisResult[])result!;
        return new ScriptReply((string)items[0]!, items.Length > 1 ? (string?)items[1] ?? "" : "", items);
    }
}
