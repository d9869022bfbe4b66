using StackExchange.Redis;

namespace AgentAspire.AgentState;

/// <summary>The client settings a connection that carries AgentState's calls should have.</summary>
public static class AgentStateConnectionOptions
{
    /// <summary>
    /// On a connection to database 0 (the default, and the only one a cluster offers) with the default command map,
    /// disables the client's <c>SELECT</c>. StackExchange.Redis has no <c>FCALL</c>, so the run functions go through
    /// <c>ExecuteAsync</c>, after which the client no longer trusts the selected database and sends <c>SELECT 0</c>
    /// before its next command: five more commands per run on a standalone server. With <c>SELECT</c> disabled in the
    /// command map the client takes the server as having one database and never sends it; every command still goes to
    /// database 0, where a new connection starts. A connection to another database (<c>defaultDatabase=N</c>) or with a
    /// command map of its own is left as it is.
    /// </summary>
    /// <param name="options">The options the connection is made from; changed in place.</param>
    /// <returns>The same options.</returns>
    /// <example>
    /// <code>
    /// builder.AddRedisClient("valkey", configureOptions: options => AgentStateConnectionOptions.Apply(options));
    /// </code>
    /// </example>
    public static ConfigurationOptions Apply(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DefaultDatabase is null or 0 && ReferenceEquals(options.CommandMap, CommandMap.Default))
        {
            options.CommandMap = NoSelect;
        }

        return options;
    }

    private static readonly CommandMap NoSelect = CommandMap.Create(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "SELECT" }, available: false);
}
