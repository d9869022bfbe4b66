using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// A local Valkey Cluster: primaries (and optionally one replica each) as <c>valkey-server</c> processes, joined by
/// <c>valkey-cli --cluster create</c> once they all answer. Clients get a connection string that lists every node;
/// StackExchange.Redis learns the slot map from any of them and follows MOVED and ASK redirections.
/// </summary>
/// <param name="name">The name of the resource, also the connection string name clients use.</param>
/// <param name="password">The parameter that holds the password of every node (<c>requirepass</c> and <c>masterauth</c>).</param>
/// <param name="replicasPerPrimary">Replicas of each primary: 0 or 1.</param>
public class ValkeyClusterResource(string name, ParameterResource password, int replicasPerPrimary) : Resource(name), IValkeyResource
{
    private readonly List<ValkeyClusterNodeResource> _nodes = [];

    /// <summary>Gets the nodes, primaries first as <c>valkey-cli --cluster create</c> assigns them.</summary>
    public IReadOnlyList<ValkeyClusterNodeResource> Nodes => _nodes;

    /// <summary>Gets how many replicas each primary has.</summary>
    public int ReplicasPerPrimary { get; } = replicasPerPrimary;

    /// <inheritdoc />
    public ParameterResource PasswordParameter { get; } = password ?? throw new ArgumentNullException(nameof(password));

    /// <summary>Gets the endpoint of the first node; any node leads a client to the others.</summary>
    public EndpointReference PrimaryEndpoint => _nodes.Count > 0
        ? _nodes[0].Endpoint
        : throw new InvalidOperationException($"The cluster '{Name}' has no nodes yet.");

    /// <summary>Gets the connection string: <c>host:port,host:port,…,password=...</c>, every node listed.</summary>
    public ReferenceExpression ConnectionStringExpression
    {
        get
        {
            var builder = new ReferenceExpressionBuilder();
            foreach (var node in _nodes)
            {
                builder.Append($"{node.Endpoint.Property(EndpointProperty.HostAndPort)},");
            }

            builder.Append($"password={PasswordParameter}");
            return builder.Build();
        }
    }

    /// <summary>The resolved connection string, once the cluster is formed; what its health check connects with.</summary>
    internal string? ReadyConnectionString { get; set; }

    internal void AddNode(ValkeyClusterNodeResource node) => _nodes.Add(node);
}
