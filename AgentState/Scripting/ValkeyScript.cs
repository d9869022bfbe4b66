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
        // EVALSHA names a script by its SHA-1; this is an identifier Valkey defines, not a security hash.
#pragma warning disable CA5350
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350
    }

    public string Name { get; }

    public string Source { get; }

    public byte[] Sha1 { get; }

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EvaluateOnceAsync(database, keys, arguments).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (attempt < SlotMigrationRetries && ex.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal))
            {
                // The run's slot is moving between cluster nodes with some of its keys already gone: the script did
                // not run, and it can once the migration of those keys is over.
                await Task.Delay(SlotMigrationRetryDelay * attempt).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs a script of one run and reads its reply; when the script appended to the run's log, wakes the run's live
    /// views (<see cref="AgentSignals.PublishLogAppended"/>) now that the entry is written.
    /// </summary>
    public async Task<ScriptReply> EvaluateRunAsync(IDatabaseAsync database, AgentSignals signals, string runId, RedisKey[] keys, RedisValue[] arguments)
    {
        var reply = ScriptReply.From(await EvaluateAsync(database, keys, arguments).ConfigureAwait(false));
        if (reply.AppendedToLog)
        {
            signals.PublishLogAppended(runId);
        }

        return reply;
    }

    private const int SlotMigrationRetries = 5;

    private static readonly TimeSpan SlotMigrationRetryDelay = TimeSpan.FromMilliseconds(50);

    private async Task<RedisResult> EvaluateOnceAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] arguments)
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
