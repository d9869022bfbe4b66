using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>Loads the protocol's Lua (the run function library and the scripts) into every primary ahead of first use.</summary>
public static class AgentStateScripts
{
    /// <summary>
    /// Runs FUNCTION LOAD for the run function library and SCRIPT LOAD for every script on every connected primary, so
    /// the first burst of calls finds them instead of each caller loading them. Optional: a call that finds its
    /// function or script missing on a server loads it there and calls again.
    /// </summary>
    /// <example><code>await AgentStateScripts.LoadAsync(connection);</code></example>
    public static Task LoadAsync(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var primaries = connection.GetServers().Where(server => server.IsConnected && !server.IsReplica);
        return Task.WhenAll(primaries.SelectMany(server =>
            AgentScripts.All.Select(script => (Task)server.ScriptLoadAsync(script.Source)).Append(AgentScripts.RunLibrary.LoadAsync(server))));
    }
}
