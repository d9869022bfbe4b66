using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Scripting;

/// <summary>
/// A Valkey function library (<c>FUNCTION LOAD</c>): its shared part runs once per server, when the library is loaded,
/// so the helpers it defines are made once and shared by its functions, where a script called by EVALSHA makes each of
/// its local functions again on every call. Its name and its functions' names end with a version taken from its text,
/// so processes of two versions (a rolling deploy) each call their own and never replace the other's.
/// </summary>
internal sealed class ValkeyFunctionLibrary
{
    /// <summary>One function of the library: its name, its body (run after <c>bind(KEYS, ARGV)</c>), and whether it only reads.</summary>
    public sealed record Definition(string Name, string Body, bool ReadOnly);

    public ValkeyFunctionLibrary(string name, string shared, IReadOnlyList<Definition> functions)
    {
        var text = new StringBuilder(shared);
        foreach (var function in functions)
        {
            text.Append('\n').Append(function.Name).Append(function.ReadOnly).Append('\n').Append(function.Body);
        }

        // The version names this text, not a secret: a short SHA-1 like a script's.
#pragma warning disable CA5350
        Version = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
#pragma warning restore CA5350
        Name = $"{name}_{Version}";
        var source = new StringBuilder("#!lua name=").Append(Name).Append('\n').Append(shared).Append('\n');
        foreach (var function in functions)
        {
            // Each function binds its run first (KEYS and ARGV are its parameters, as a script's globals are).
            source.Append(CultureInfo.InvariantCulture, $"\nredis.register_function{{function_name = '{FunctionName(function.Name)}', callback = function(KEYS, ARGV)\nbind(KEYS, ARGV)\n")
                .Append(function.Body)
                .Append(function.ReadOnly ? "\nend, flags = {'no-writes'}}\n" : "\nend}\n");
        }

        Source = source.ToString();
    }

    /// <summary>The library's name on the server: the given name and the version.</summary>
    public string Name { get; }

    /// <summary>The first 12 hex digits of the SHA-1 of the library's text.</summary>
    public string Version { get; }

    /// <summary>The whole library as <c>FUNCTION LOAD</c> takes it.</summary>
    public string Source { get; }

    /// <summary>The name a function of this library has on the server.</summary>
    public string FunctionName(string name) => $"{name}_{Version}";

    /// <summary>A function of this library, called with FCALL.</summary>
    public ValkeyFunction Function(string name) => new(this, name);

    /// <summary>Loads the library into one server (a primary); loading it again is harmless.</summary>
    public Task LoadAsync(IServer server) => server.ExecuteAsync("FUNCTION", "LOAD", "REPLACE", Source);

    /// <summary>
    /// Loads the library into the server that holds <paramref name="key"/>: the one a call on that key found without
    /// it (restarted without persistence, flushed, or a node new to a cluster).
    /// </summary>
    public async Task LoadForAsync(IDatabaseAsync database, RedisKey key)
    {
        if (await database.IdentifyEndpointAsync(key).ConfigureAwait(false) is { } endpoint)
        {
            await LoadAsync(database.Multiplexer.GetServer(endpoint)).ConfigureAwait(false);
            return;
        }

        await Task.WhenAll(database.Multiplexer.GetServers().Where(server => server.IsConnected && !server.IsReplica).Select(LoadAsync)).ConfigureAwait(false);
    }
}
