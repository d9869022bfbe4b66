using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Turns the started nodes of a <see cref="ValkeyClusterResource"/> into a cluster: waits until every node answers,
/// runs <c>valkey-cli --cluster create</c>, waits until every node reports <c>cluster_state:ok</c>, then marks the
/// cluster resource running, which releases the services that wait for it.
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
            foreach (var port in ports)
            {
                while (await ClusterStateAsync(port, password).ConfigureAwait(false) is null)
                {
                    await Task.Delay(100, timeout.Token).ConfigureAwait(false);
                }
            }

            await CreateAsync(cliPath, ports, cluster.ReplicasPerPrimary, password, logger, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var states = await Task.WhenAll(ports.Select(port => ClusterStateAsync(port, password))).ConfigureAwait(false);
                if (states.All(state => state == "ok"))
                {
                    break;
                }

                await Task.Delay(100, timeout.Token).ConfigureAwait(false);
            }

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

    private static async Task CreateAsync(string cliPath, IReadOnlyList<int> ports, int replicas, string password, ILogger logger, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(cliPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The password goes through the environment, not the command line.
        start.Environment["REDISCLI_AUTH"] = password;
        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add("create");
        foreach (var port in ports)
        {
            start.ArgumentList.Add($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        }

        start.ArgumentList.Add("--cluster-replicas");
        start.ArgumentList.Add(replicas.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--cluster-yes");

        using var cli = Process.Start(start) ?? throw new DistributedApplicationException($"Could not start {cliPath}.");
        var output = cli.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = cli.StandardError.ReadToEndAsync(cancellationToken);
        await cli.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var printed = await output.ConfigureAwait(false);
        LogCreateOutput(logger, printed);
        if (cli.ExitCode != 0)
        {
            throw new DistributedApplicationException($"valkey-cli --cluster create exited with {cli.ExitCode}: {await error.ConfigureAwait(false)}");
        }
    }

    // The node's cluster_state, or null while it does not answer yet.
    private static async Task<string?> ClusterStateAsync(int port, string password)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", port } },
            Password = password,
            AbortOnConnectFail = true,
            ConnectRetry = 0,
            ConnectTimeout = 2000,
        };
        try
        {
            await using var node = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            var info = (string?)await node.GetServers()[0].ExecuteAsync("CLUSTER", "INFO").ConfigureAwait(false) ?? "";
            var line = info.Split('\n').FirstOrDefault(text => text.StartsWith("cluster_state:", StringComparison.Ordinal));
            return line?["cluster_state:".Length..].Trim() ?? "";
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Valkey Cluster ready: {Nodes} nodes, {Replicas} replica(s) per primary.")]
    private static partial void LogReady(ILogger logger, int nodes, int replicas);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Valkey Cluster could not be created.")]
    private static partial void LogCreateFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "valkey-cli --cluster create:\n{Output}")]
    private static partial void LogCreateOutput(ILogger logger, string output);
}
