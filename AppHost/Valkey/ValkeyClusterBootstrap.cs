using AgentAspire.LocalValkey;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Turns the started nodes of a <see cref="ValkeyClusterResource"/> into a cluster: waits until every node answers,
/// runs <c>valkey-cli --cluster create</c>, waits until the cluster serves every slot, then marks the cluster resource
/// running, which releases the services that wait for it.
/// </summary>
internal static partial class ValkeyClusterBootstrap
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(ValkeyClusterResource cluster, string cliPath, InitializeResourceEvent e, CancellationToken cancellationToken)
    {
        var logger = e.Logger;
        try
        {
            await e.Notifications.PublishUpdateAsync(cluster, state => state with { State = KnownResourceStates.Starting }).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            foreach (var node in cluster.Nodes)
            {
                await e.Notifications.WaitForResourceAsync(node.Name, KnownResourceStates.Running, timeout.Token).ConfigureAwait(false);
            }

            var password = await cluster.PasswordParameter.GetValueAsync(timeout.Token).ConfigureAwait(false) ?? "";
            var ports = cluster.Nodes.Select(node => node.Endpoint.Port).ToList();
            await ValkeyClusterFormation.WaitUntilNodesAnswerAsync(ports, password, timeout.Token).ConfigureAwait(false);
            var output = await ValkeyClusterFormation.CreateAsync(cliPath, ports, cluster.ReplicasPerPrimary, password, timeout.Token).ConfigureAwait(false);
            LogCreateOutput(logger, output);
            await ValkeyClusterFormation.WaitUntilServingAsync(ports, password, timeout.Token).ConfigureAwait(false);

            cluster.ReadyConnectionString = await cluster.ConnectionStringExpression.GetValueAsync(timeout.Token).ConfigureAwait(false);
            LogReady(logger, ports.Count, cluster.ReplicasPerPrimary);
            await e.Notifications.PublishUpdateAsync(cluster, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCreateFailed(logger, ex);
            await e.Notifications.PublishUpdateAsync(cluster, state => state with { State = KnownResourceStates.FailedToStart }).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Valkey Cluster ready: {Nodes} nodes, {Replicas} replica(s) per primary.")]
    private static partial void LogReady(ILogger logger, int nodes, int replicas);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Valkey Cluster could not be created.")]
    private static partial void LogCreateFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "valkey-cli --cluster create:\n{Output}")]
    private static partial void LogCreateOutput(ILogger logger, string output);
}
