using System.Text.RegularExpressions;
using AgentAspire.LocalValkey;
using Microsoft.Extensions.Configuration;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// The server settings both kinds of Valkey resource share: persistence and memory, from configuration <c>Valkey:*</c>.
/// </summary>
/// <param name="MaxMemory">The memory limit in Valkey's syntax (<c>512mb</c>, <c>2gb</c>; <c>0</c> for none).</param>
/// <param name="AppendFsync">When the append-only file is flushed to disk: <c>everysec</c>, <c>always</c> or <c>no</c>.</param>
public sealed partial record ValkeyServerSettings(string MaxMemory, string AppendFsync)
{
    /// <summary>The configuration key of the memory limit.</summary>
    public const string MaxMemoryKey = "Valkey:MaxMemory";

    /// <summary>The configuration key of the append-only file's flush policy.</summary>
    public const string AppendFsyncKey = "Valkey:AppendFsync";

    /// <summary>The memory limit when none is configured: room for the data and an append-only file rewrite in a 1 GiB container.</summary>
    public const string DefaultMaxMemory = "512mb";

    /// <summary>The flush policy when none is configured: at most one second of writes lost on a crash of the machine.</summary>
    public const string DefaultAppendFsync = "everysec";

    private static readonly string[] AppendFsyncValues = ["everysec", "always", "no"];

    /// <summary>Reads and checks the settings; a value Valkey would refuse fails here, with the accepted forms.</summary>
    /// <exception cref="DistributedApplicationException">A setting has a value Valkey does not accept.</exception>
    public static ValkeyServerSettings From(IConfiguration configuration)
    {
        var maxMemory = configuration[MaxMemoryKey] is { Length: > 0 } memory ? memory.Trim().ToLowerInvariant() : DefaultMaxMemory;
        if (!MemorySize().IsMatch(maxMemory))
        {
            throw new DistributedApplicationException(
                $"Configuration {MaxMemoryKey} is '{maxMemory}'; use a size such as '512mb' or '2gb' ('0' for no limit).");
        }

        var appendFsync = configuration[AppendFsyncKey] is { Length: > 0 } fsync ? fsync.Trim().ToLowerInvariant() : DefaultAppendFsync;
        if (!AppendFsyncValues.Contains(appendFsync))
        {
            throw new DistributedApplicationException(
                $"Configuration {AppendFsyncKey} is '{appendFsync}'; use 'everysec', 'always' or 'no'.");
        }

        return new ValkeyServerSettings(maxMemory, appendFsync);
    }

    /// <summary>
    /// The <c>valkey-server</c> options for these settings: the append-only file on, and writes refused rather than
    /// keys evicted at the memory limit, since an evicted checkpoint or lease would be silently lost state.
    /// </summary>
    public IReadOnlyList<string> Arguments => ValkeyServerArguments.Persistence(AppendFsync, MaxMemory);

    [GeneratedRegex(@"^[0-9]+(b|k|kb|m|mb|g|gb)?$")]
    private static partial Regex MemorySize();
}
