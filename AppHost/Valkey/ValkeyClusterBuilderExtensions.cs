using AgentAspire.LocalValkey;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Provides extension methods for adding a local Valkey Cluster to the application model.
/// </summary>
public static class ValkeyClusterBuilderExtensions
{
    /// <summary>Configuration key of the topology: <c>standalone</c> (default) or <c>cluster</c>.</summary>
    public const string TopologyKey = "Valkey:Topology";

    /// <summary>Configuration key of the replicas per primary of a local cluster: 0 (default) or 1.</summary>
    public const string ClusterReplicasKey = "Valkey:ClusterReplicas";

    /// <summary>Configuration key of the cluster node timeout in milliseconds (default 5000): how soon a dead primary is failed over.</summary>
    public const string ClusterNodeTimeoutKey = "Valkey:ClusterNodeTimeout";

    /// <summary>
    /// Adds Valkey in the topology configuration <c>Valkey:Topology</c> asks for: one server
    /// (<see cref="ValkeyBuilderExtensions.AddValkey"/>, the default) or a local cluster (<see cref="AddValkeyCluster"/>).
    /// </summary>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource, also the connection string name clients use.</param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <example>
    /// <code lang="csharp">
    /// // dotnet run --project AppHost -- --Valkey:Topology=cluster
    /// var valkey = builder.AddValkeyForTopology("valkey");
    /// </code>
    /// </example>
    /// <exception cref="DistributedApplicationException">The topology is unknown.</exception>
    public static IResourceBuilder<IValkeyResource> AddValkeyForTopology(this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var topology = builder.Configuration[TopologyKey] ?? "standalone";
        return topology.ToLowerInvariant() switch
        {
            "standalone" => builder.AddValkey(name),
            "cluster" => builder.CreateResourceBuilder<IValkeyResource>(builder.AddValkeyCluster(name).Resource),
            _ => throw new DistributedApplicationException($"{TopologyKey} is '{topology}'; expected 'standalone' or 'cluster'."),
        };
    }

    /// <summary>
    /// Adds a local Valkey Cluster: <paramref name="primaries"/> primaries and, with <paramref name="replicasPerPrimary"/>
    /// = 1, one replica each, as <c>valkey-server</c> processes with <c>cluster-enabled yes</c> on free loopback ports,
    /// joined by <c>valkey-cli --cluster create</c>. One generated password serves clients and replication.
    /// </summary>
    /// <remarks>
    /// The local cluster starts empty on every run of the AppHost (Aspire picks new ports, which a node's saved cluster
    /// configuration would not match); each node keeps an append-only file while it runs. For data that must outlive
    /// the AppHost, use one server or a managed cluster. Publishing (azd) is not supported: point the services at a
    /// managed cluster through <c>ConnectionStrings__valkey</c> instead.
    /// </remarks>
    /// <param name="builder">The <see cref="IDistributedApplicationBuilder"/>.</param>
    /// <param name="name">The name of the resource, also the connection string name clients use.</param>
    /// <param name="primaries">How many primaries; at least 3, as Valkey Cluster requires.</param>
    /// <param name="replicasPerPrimary">0 or 1; by default configuration <c>Valkey:ClusterReplicas</c>, else 0.</param>
    /// <returns>A reference to the <see cref="IResourceBuilder{T}"/>.</returns>
    /// <example>
    /// <code lang="csharp">
    /// var valkey = builder.AddValkeyCluster("valkey", primaries: 3, replicasPerPrimary: 1);
    /// builder.AddProject&lt;Projects.Worker&gt;("worker").WithReference(valkey).WaitFor(valkey);
    /// </code>
    /// </example>
    /// <exception cref="DistributedApplicationException">
    /// The AppHost is publishing, <c>Valkey:Mode</c> asks for containers, <c>valkey-server</c> or <c>valkey-cli</c>
    /// cannot be found, or the sizes are out of range.
    /// </exception>
    public static IResourceBuilder<ValkeyClusterResource> AddValkeyCluster(this IDistributedApplicationBuilder builder, string name,
        int primaries = 3, int? replicasPerPrimary = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (builder.ExecutionContext.IsPublishMode)
        {
            throw new DistributedApplicationException(
                $"{TopologyKey}=cluster runs a local cluster and cannot be published; deploy with one server, or point the services at a managed cluster (ConnectionStrings__valkey).");
        }

        if (string.Equals(builder.Configuration[ValkeyModeResolver.ModeKey], "container", StringComparison.OrdinalIgnoreCase))
        {
            // Each node would have to announce the host port mapped to it, which Valkey 8 cannot do.
            throw new DistributedApplicationException(
                $"{TopologyKey}=cluster runs valkey-server processes; {ValkeyModeResolver.ModeKey}=container is not supported for a cluster (see SCALING.md). Leave {ValkeyModeResolver.ModeKey} unset or 'local'.");
        }

        var replicas = replicasPerPrimary ?? builder.Configuration.GetValue(ClusterReplicasKey, 0);
        if (primaries < 3)
        {
            throw new DistributedApplicationException($"A Valkey Cluster needs at least 3 primaries, not {primaries}.");
        }

        if (replicas is < 0 or > 1)
        {
            throw new DistributedApplicationException($"{ClusterReplicasKey} must be 0 or 1, not {replicas}.");
        }

        var serverPath = ValkeyServerLocator.Find(builder.Configuration) ?? throw new DistributedApplicationException(
            $"valkey-server was not found on the PATH or at {ValkeyServerLocator.ServerPathKey}. Install it (run eng/setup.sh).");
        var cliPath = ValkeyExecutables.FindCli(serverPath) ?? throw new DistributedApplicationException(
            "valkey-cli was not found next to valkey-server or on the PATH. Install valkey-tools (run eng/setup.sh).");

        var nodeTimeout = builder.Configuration.GetValue(ClusterNodeTimeoutKey, 5000);
        var dataDirectory = Path.GetFullPath(ValkeyDataDirectory.For(builder, name));
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var cluster = new ValkeyClusterResource(name, password, replicas);
        var clusterBuilder = builder.AddResource(cluster)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "ValkeyCluster",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .OnInitializeResource((resource, e, cancellationToken) =>
            {
                // In the background: initialization must not wait for the nodes it is about to see started.
                _ = ValkeyClusterBootstrap.RunAsync(resource, cliPath, e, cancellationToken);
                return Task.CompletedTask;
            });

        for (var index = 0; index < primaries * (1 + replicas); index++)
        {
            var node = new ValkeyClusterNodeResource($"{name}-{index}", serverPath, Path.Combine(dataDirectory, $"node-{index}"), cluster);
            cluster.AddNode(node);
            var arguments = new ValkeyServerArguments
            {
                PasswordFile = ValkeyPasswordFile.PathIn(node.DataDirectory),
                DataDirectory = node.DataDirectory,
                AppendOnly = true,
                ClusterConfigFile = Path.Combine(node.DataDirectory, "nodes.conf"),
                ClusterNodeTimeout = TimeSpan.FromMilliseconds(nodeTimeout),
            };
            builder.AddResource(node)
                .WithEndpoint(name: ValkeyConnectionString.EndpointName, scheme: "tcp", isProxied: false)
                .WithEndpoint(name: ValkeyClusterNodeResource.BusEndpointName, scheme: "tcp", isProxied: false)
                .WithArgs(arguments.ToArguments(
                    node.Endpoint.Property(EndpointProperty.TargetPort), node.BusEndpoint.Property(EndpointProperty.TargetPort)).ToArray())
                .OnBeforeResourceStarted(async (resource, _, cancellationToken) =>
                {
                    // A fresh node: the ports of a previous run are gone, and so is the cluster they formed.
                    if (Directory.Exists(resource.DataDirectory))
                    {
                        Directory.Delete(resource.DataDirectory, recursive: true);
                    }

                    Directory.CreateDirectory(resource.DataDirectory);
                    var value = await password.GetValueAsync(cancellationToken)
                        ?? throw new DistributedApplicationException($"The password of '{cluster.Name}' resolved to null.");
                    await ValkeyPasswordFile.WriteAsync(arguments.PasswordFile, value, cancellationToken, clusterNode: true);
                })
                .WithParentRelationship(cluster);
        }

        var healthCheckKey = $"{name}_cluster_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new ValkeyHealthCheck(() => cluster.ReadyConnectionString), failureStatus: null, tags: null));
        return clusterBuilder.WithHealthCheck(healthCheckKey);
    }
}
