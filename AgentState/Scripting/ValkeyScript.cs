using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>A Lua script called by its SHA-1 (EVALSHA), loaded with EVAL the first time a server does not know it.</summary>
internal sealed class ValkeyScript
{
    public ValkeyScript(string name, string source)
    {
        Name = name;
        Source = source;
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
    }

    public string Name { get; }

    public string Source { get; }

    public byte[] Sha1 { get; }

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] arguments)
    {
        try
        {
            return await database.ScriptEvaluateAsync(Sha1, keys, arguments).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // A restarted server or a new cluster node: EVAL runs the script once and caches it there.
            return await database.ScriptEvaluateAsync(Source, keys, arguments).ConfigureAwait(false);
        }
    }

    public override string ToString() => Name;
}
