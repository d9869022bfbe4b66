using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>A Lua script called by its SHA-1 (EVALSHA), loaded with EVAL the first time a server does not know it.</summary>
internal sealed class ValkeyEvalScript : ValkeyScript
{
    public ValkeyEvalScript(string name, string source)
        : base(name)
    {
        Source = source;
        // EVALSHA names a script by its SHA-1; this is an identifier Valkey defines, not a security hash.
#pragma warning disable CA5350
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350
    }

    public string Source { get; }

    public byte[] Sha1 { get; }

    protected override async Task<RedisResult> EvaluateOnceAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] arguments)
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
}
