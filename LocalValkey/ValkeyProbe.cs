using System.Net;
using StackExchange.Redis;

namespace AgentAspire.LocalValkey;

/// <summary>
/// Asks one local server, over a short-lived connection that fails fast, whether it answers yet and what it says of
/// its cluster.
/// </summary>
public static class ValkeyProbe
{
    /// <summary>Whether the server on <paramref name="port"/> answers PING with <paramref name="password"/>.</summary>
    public static async Task<bool> AnswersAsync(int port, string password)
    {
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(Options(port, password)).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await connection.GetServers()[0].PingAsync().ConfigureAwait(false);
                return true;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The node's <c>cluster_state</c> (<c>ok</c> once it serves every slot), or null while it does not answer.</summary>
    public static async Task<string?> ClusterStateAsync(int port, string password)
    {
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(Options(port, password)).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var info = (string?)await connection.GetServers()[0].ExecuteAsync("CLUSTER", "INFO").ConfigureAwait(false) ?? "";
                var line = info.Split('\n').FirstOrDefault(text => text.StartsWith("cluster_state:", StringComparison.Ordinal));
                return line?["cluster_state:".Length..].Trim() ?? "";
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static ConfigurationOptions Options(int port, string password) => new()
    {
        EndPoints = { new IPEndPoint(IPAddress.Loopback, port) },
        Password = password,
        AbortOnConnectFail = true,
        ConnectRetry = 0,
        ConnectTimeout = 1000,
    };
}
