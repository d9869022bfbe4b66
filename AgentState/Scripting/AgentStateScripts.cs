using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>Loads the protocol's Lua scripts into every primary ahead of first use.</summary>
public static class AgentStateScripts
{
    /// <summary>
    /// Runs SCRIPT LOAD for every script on every connected primary, so the first burst of calls goes by SHA instead
    /// of each caller falling back to sending the whole script. Optional: scripts also load themselves on demand.
    /// </summary>
    /// <example><code>await AgentStateScripts.LoadAsync(connection);</code></example>
    public static Task LoadAsync(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var primaries = connection.GetServers().Where(server => server.IsConnected && !server.IsReplica);
        return Task.WhenAll(primaries.SelectMany(server => AgentScripts.All.Select(script => server.ScriptLoadAsync(script.Source))));
    }
}
