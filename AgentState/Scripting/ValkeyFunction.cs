using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>
/// A function of a <see cref="ValkeyFunctionLibrary"/>, called with FCALL; the server that answers that it has no
/// such function gets the library loaded and the call again.
/// </summary>
internal sealed class ValkeyFunction(ValkeyFunctionLibrary library, string name) : ValkeyScript(name)
{
    public ValkeyFunctionLibrary Library { get; } = library;

    /// <summary>The function's name on the server (with the library's version).</summary>
    public string FunctionName { get; } = library.FunctionName(name);

    protected override async Task<RedisResult> EvaluateOnceAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] arguments)
    {
        try
        {
            return await database.ExecuteAsync("FCALL", Call(keys, arguments)).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("ERR Function not found", StringComparison.Ordinal))
        {
            // A restarted server without persistence, a flushed one, or a node new to a cluster: load the library on the
            // server that holds the run's keys, then call again.
            await Library.LoadForAsync(database, keys[0]).ConfigureAwait(false);
            return await database.ExecuteAsync("FCALL", Call(keys, arguments)).ConfigureAwait(false);
        }
    }

    // FCALL name numkeys key... arg...; the keys go as RedisKey so the client routes the call to their slot's node.
    private object[] Call(RedisKey[] keys, RedisValue[] arguments)
    {
        var call = new object[2 + keys.Length + arguments.Length];
        call[0] = FunctionName;
        call[1] = keys.Length;
        for (var i = 0; i < keys.Length; i++)
        {
            call[2 + i] = keys[i];
        }

        for (var i = 0; i < arguments.Length; i++)
        {
            call[2 + keys.Length + i] = arguments[i];
        }

        return call;
    }
}
