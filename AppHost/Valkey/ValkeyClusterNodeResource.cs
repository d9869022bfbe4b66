using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// One node of a local Valkey Cluster: a <c>valkey-server</c> process with <c>cluster-enabled yes</c>, listening for
/// clients on its <c>tcp</c> endpoint and for the other nodes on its <c>bus</c> endpoint.
/// </summary>
/// <param name="name">The name of the resource.</param>
/// <param name="serverPath">The path of the <c>valkey-server</c> executable.</param>
/// <param name="dataDirectory">The node's own folder: its append-only file and its cluster configuration.</param>
/// <param name="cluster">The cluster the node belongs to.</param>
public class ValkeyClusterNodeResource(string name, string serverPath, string dataDirectory, ValkeyClusterResource cluster)
    : ExecutableResource(name, serverPath, dataDirectory), IResourceWithParent<ValkeyClusterResource>
{
    /// <summary>The name of the endpoint the other nodes connect to (the cluster bus).</summary>
    public const string BusEndpointName = "bus";

    private EndpointReference? _endpoint;
    private EndpointReference? _busEndpoint;

    /// <inheritdoc />
    public ValkeyClusterResource Parent { get; } = cluster ?? throw new ArgumentNullException(nameof(cluster));

    /// <summary>Gets the node's own folder.</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>Gets the endpoint clients connect to.</summary>
    public EndpointReference Endpoint => _endpoint ??= new(this, ValkeyConnectionString.EndpointName);

    /// <summary>Gets the cluster bus endpoint.</summary>
    public EndpointReference BusEndpoint => _busEndpoint ??= new(this, BusEndpointName);
}
