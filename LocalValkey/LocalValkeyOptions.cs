namespace AgentAspire.LocalValkey;

/// <summary>How <see cref="LocalValkeyServer"/> and <see cref="LocalValkeyCluster"/> start their servers.</summary>
public sealed record LocalValkeyOptions
{
    /// <summary>The <c>valkey-server</c> binary; by default <see cref="ValkeyExecutables.RequireServer"/>.</summary>
    public string? ServerPath { get; init; }

    /// <summary>The password (letters and digits); a random one when null.</summary>
    public string? Password { get; init; }

    /// <summary>Whether the append-only file is on, so the server can be killed and started again from it.</summary>
    public bool AppendOnly { get; init; }

    /// <summary>With <see cref="AppendOnly"/>: when the file reaches the disk (<c>everysec</c>, <c>always</c>, <c>no</c>).</summary>
    public string? AppendFsync { get; init; }

    /// <summary>
    /// How long a cluster node may not answer before the others fail it over. Long by default: a busy machine must
    /// not make the nodes think one of them failed.
    /// </summary>
    public TimeSpan ClusterNodeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one server may take to answer PING once started.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The prefix of the temp folder the servers keep their files in.</summary>
    public string DirectoryPrefix { get; init; } = "valkey-local-";
}
