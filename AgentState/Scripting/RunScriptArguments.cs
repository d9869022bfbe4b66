using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>Builds the KEYS and the leading ARGV that every run script's prelude expects.</summary>
internal static class RunScriptArguments
{
    public static RedisKey[] Keys(string runId) => [AgentKeys.State(runId), AgentKeys.Log(runId), AgentKeys.Lease(runId), AgentKeys.Calls(runId)];

    public static RedisValue[] Arguments(string runId, DateTimeOffset now, AgentStateOptions options, string worker, params ReadOnlySpan<RedisValue> rest)
    {
        var arguments = new RedisValue[5 + rest.Length];
        arguments[0] = runId;
        arguments[1] = UnixTime.Format(now);
        arguments[2] = options.RunTtlSeconds;
        arguments[3] = options.LogMaxLength;
        arguments[4] = worker;
        rest.CopyTo(arguments.AsSpan(5));
        return arguments;
    }
}
