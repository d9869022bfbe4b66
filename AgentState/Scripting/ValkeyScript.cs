using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>
/// A server-side program of the protocol, called with keys and arguments: a Lua script called by its SHA-1
/// (<see cref="ValkeyEvalScript"/>) or a function of the run library (<see cref="ValkeyFunction"/>). Either one loads
/// itself the first time a server does not know it.
/// </summary>
internal abstract class ValkeyScript(string name)
{
    public string Name { get; } = name;

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

    /// <summary>One call on the server, loading the script there first when the server does not know it.</summary>
    protected abstract Task<RedisResult> EvaluateOnceAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] arguments);

    private const int SlotMigrationRetries = 5;

    private static readonly TimeSpan SlotMigrationRetryDelay = TimeSpan.FromMilliseconds(50);

    public override string ToString() => Name;
}
