using StackExchange.Redis;

namespace AgentAspire.AgentState;

/// <summary>
/// Tells a fault of the Valkey infrastructure from an error of the caller. An infrastructure fault (the connection
/// dropped, a command timed out, the server is loading its data, a failover or resharding is under way, the server is
/// full) says nothing about the run or the request: it ends the attempt, and the same call succeeds once Valkey is
/// back. Workers leave the run to resume; the API answers 503 with <c>Retry-After</c>.
/// </summary>
public static class ValkeyFaults
{
    // Error prefixes of a server that is there but cannot serve now (RESP error codes, first word of the message).
    private static readonly string[] UnavailablePrefixes =
        ["LOADING", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "NOREPLICAS", "BUSY", "OOM"];

    /// <summary>True when <paramref name="exception"/> (or an exception it wraps) is an infrastructure fault.</summary>
    /// <example><code>catch (Exception ex) when (ValkeyFaults.IsInfrastructure(ex)) { /* retry later */ }</code></example>
    public static bool IsInfrastructure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case RedisConnectionException or RedisTimeoutException or TimeoutException:
                    return true;
                // StackExchange.Redis completes a command the dropped connection never answered as cancelled, with no
                // token: nobody asked for it to stop. A cancellation someone asked for carries the cancelled token.
                case TaskCanceledException cancelled when !cancelled.CancellationToken.IsCancellationRequested:
                    return true;
                case RedisServerException server when IsUnavailableReply(server.Message):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsInfrastructure):
                    return true;
            }
        }

        return false;
    }

    /// <summary>True when the server is full (<c>OOM</c> under <c>maxmemory</c> with <c>noeviction</c>).</summary>
    public static bool IsOutOfMemory(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RedisServerException server && server.Message.StartsWith("OOM", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnavailableReply(string message)
    {
        foreach (var prefix in UnavailablePrefixes)
        {
            if (message.StartsWith(prefix, StringComparison.Ordinal)
                && (message.Length == prefix.Length || message[prefix.Length] == ' '))
            {
                return true;
            }
        }

        return false;
    }
}
