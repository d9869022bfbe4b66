using System.Diagnostics;
using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace AgentAspire.LocalValkey;

/// <summary>
/// Turns started cluster-enabled nodes into a Valkey Cluster: <c>valkey-cli --cluster create</c>, then waits until it
/// serves every slot.
/// </summary>
public static class ValkeyClusterFormation
{
    /// <summary>Waits until every node answers; nodes still starting are asked again every 100 ms.</summary>
    public static async Task WaitUntilNodesAnswerAsync(IEnumerable<int> ports, string password, CancellationToken cancellationToken)
    {
        foreach (var port in ports)
        {
            while (await ValkeyProbe.ClusterStateAsync(port, password).ConfigureAwait(false) is null)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs <c>valkey-cli --cluster create</c> over the nodes on <paramref name="ports"/> (primaries first) and returns
    /// what it printed. The password goes through the environment, not the command line.
    /// </summary>
    /// <exception cref="InvalidOperationException">valkey-cli could not start or failed; its output says why.</exception>
    public static async Task<string> CreateAsync(string cliPath, IReadOnlyList<int> ports, int replicasPerPrimary, string password,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(cliPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["REDISCLI_AUTH"] = password;
        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add("create");
        foreach (var port in ports)
        {
            start.ArgumentList.Add($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        }

        start.ArgumentList.Add("--cluster-replicas");
        start.ArgumentList.Add(replicasPerPrimary.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--cluster-yes");

        using var cli = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {cliPath}.");
        var output = cli.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = cli.StandardError.ReadToEndAsync(cancellationToken);
        await cli.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var printed = await output.ConfigureAwait(false);
        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"valkey-cli --cluster create exited with {cli.ExitCode}: {printed}{await error.ConfigureAwait(false)}");
        }

        return printed;
    }

    /// <summary>
    /// Waits until every node reports <c>cluster_state:ok</c> and then until every primary takes writes: a node may
    /// say ok a moment before it serves its slots.
    /// </summary>
    public static async Task WaitUntilServingAsync(IReadOnlyList<int> ports, string password, CancellationToken cancellationToken)
    {
        while (true)
        {
            var states = await Task.WhenAll(ports.Select(port => ValkeyProbe.ClusterStateAsync(port, password))).ConfigureAwait(false);
            if (states.All(state => state == "ok"))
            {
                break;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        var options = new ConfigurationOptions { Password = password, AbortOnConnectFail = true, ConnectTimeout = 5000 };
        foreach (var port in ports)
        {
            options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, port));
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // 64 hash tags land in every primary's slots; deleting keys that do not exist leaves nothing behind.
            var probes = Enumerable.Range(0, 64).Select(i => (RedisKey)$"cluster-probe:{{{i}}}").ToList();
            while (true)
            {
                try
                {
                    await Task.WhenAll(probes.Select(key => connection.GetDatabase().KeyDeleteAsync(key))).ConfigureAwait(false);
                    return;
                }
                catch (RedisServerException ex) when (ex.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal))
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
