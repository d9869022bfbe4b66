using System.Net;

namespace AgentAspire.LocalValkey;

/// <summary>
/// A private Valkey Cluster of primaries without replicas: <see cref="LocalValkeyServer"/> cluster nodes joined by
/// <c>valkey-cli --cluster create</c>, ready once every primary takes writes. Stopped and removed on dispose.
/// </summary>
public sealed class LocalValkeyCluster : IAsyncDisposable
{
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(60);

    private readonly List<LocalValkeyServer> _nodes = [];

    private LocalValkeyCluster(string password) => Password = password;

    /// <summary>The nodes, all primaries.</summary>
    public IReadOnlyList<LocalValkeyServer> Nodes => _nodes;

    /// <summary>The nodes' client ports.</summary>
    public IReadOnlyList<int> Ports => _nodes.Select(node => node.Port).ToList();

    /// <summary>The nodes' client endpoints on 127.0.0.1.</summary>
    public IReadOnlyList<EndPoint> EndPoints => _nodes.Select(node => (EndPoint)new IPEndPoint(IPAddress.Loopback, node.Port)).ToList();

    /// <summary>The password of every node.</summary>
    public string Password { get; }

    /// <summary>Starts <paramref name="primaries"/> nodes, forms the cluster and returns once it serves every slot.</summary>
    /// <exception cref="InvalidOperationException">A node would not start, or <c>valkey-cli --cluster create</c> failed.</exception>
    public static async Task<LocalValkeyCluster> StartAsync(int primaries = 3, LocalValkeyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(primaries, 3);
        options ??= new LocalValkeyOptions();
        options = options with { ServerPath = options.ServerPath ?? ValkeyExecutables.RequireServer() };
        var nodeOptions = options with { Password = options.Password ?? LocalValkeyServer.NewPassword() };
        var cluster = new LocalValkeyCluster(nodeOptions.Password);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(FormationTimeout);
            for (var node = 0; node < primaries; node++)
            {
                cluster._nodes.Add(await LocalValkeyServer.StartClusterNodeAsync(nodeOptions, timeout.Token).ConfigureAwait(false));
            }

            await ValkeyClusterFormation.CreateAsync(ValkeyExecutables.RequireCli(options.ServerPath), cluster.Ports, replicasPerPrimary: 0,
                cluster.Password, timeout.Token).ConfigureAwait(false);
            await ValkeyClusterFormation.WaitUntilServingAsync(cluster.Ports, cluster.Password, timeout.Token).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
