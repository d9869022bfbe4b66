using System.Net;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.Bench.Measuring;

/// <summary>The private server (or a cluster's primaries) and the settings every scenario shares.</summary>
internal sealed class BenchContext(IReadOnlyList<EndPoint> endPoints, string? password, TimeSpan duration, bool smoke, string? apiDll, string? workerDll, string? viewerDll = null)
{
    /// <summary>How long a scenario measures (about a second in smoke mode).</summary>
    public TimeSpan Duration { get; } = duration;

    /// <summary>Smoke mode: every scenario briefly, to prove it still works; figures mean nothing.</summary>
    public bool Smoke { get; } = smoke;

    /// <summary>The built AgentApi.dll, for the end-to-end scenarios.</summary>
    public string? ApiDll { get; } = apiDll;

    /// <summary>The built AgentWorker.dll, for the end-to-end and worker scenarios.</summary>
    public string? WorkerDll { get; } = workerDll;

    /// <summary>The built LogViewer.dll, for the viewer scenarios.</summary>
    public string? ViewerDll { get; } = viewerDll;

    /// <summary>The connection string the app's services take (<c>ConnectionStrings__valkey</c>).</summary>
    public string ConnectionString => string.Join(',', endPoints.Select(endPoint => endPoint.ToString()).Append(password is null ? null : $"password={password}").OfType<string>());

    /// <summary>The same settings against other servers (a cluster's primaries).</summary>
    public BenchContext On(IReadOnlyList<EndPoint> otherEndPoints, string? otherPassword) =>
        new(otherEndPoints, otherPassword, Duration, Smoke, ApiDll, WorkerDll, ViewerDll);

    /// <summary>A new connection, as a process of its own would open it.</summary>
    public async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = new ConfigurationOptions
        {
            Password = password,
            AllowAdmin = true,
            AbortOnConnectFail = true,
            AsyncTimeout = 30_000,
            SyncTimeout = 30_000,
        };
        foreach (var endPoint in endPoints)
        {
            options.EndPoints.Add(endPoint);
        }

        // As the app's services connect (AddValkeyClient): no SELECT after each FCALL on database 0.
        AgentStateConnectionOptions.Apply(options);
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    /// <summary>The AgentState services of one process over <paramref name="connection"/>.</summary>
    public static AgentStateServices Services(IConnectionMultiplexer connection, Action<AgentStateOptions>? configure = null)
    {
        var provider = new ServiceCollection()
            .AddSingleton(connection)
            .AddLogging()
            .AddAgentState(configure)
            .BuildServiceProvider();
        return new AgentStateServices(provider);
    }

    /// <summary>The admin view of the server of <paramref name="connection"/>.</summary>
    public static IServer Server(IConnectionMultiplexer connection) => connection.GetServer(connection.GetEndPoints()[0]);

    /// <summary>Every primary of <paramref name="connection"/>: the one server, or each primary of a cluster.</summary>
    public static IReadOnlyList<IServer> Primaries(IConnectionMultiplexer connection) =>
        connection.GetServers().Where(server => !server.IsReplica).ToList();

    /// <summary>Operations this connection has sent so far (each a round trip's worth of work on the server).</summary>
    public static long SentOperations(IConnectionMultiplexer connection) => connection.GetCounters().Interactive.OperationCount;
}

/// <summary>The AgentState services of one simulated process.</summary>
internal sealed record AgentStateServices(ServiceProvider Provider) : IAsyncDisposable
{
    public RunStore Store => Provider.GetRequiredService<RunStore>();

    public RunLeases Leases => Provider.GetRequiredService<RunLeases>();

    public RunQueue Queue => Provider.GetRequiredService<RunQueue>();

    public ToolCache ToolCache => Provider.GetRequiredService<ToolCache>();

    public AgentSignals Signals => Provider.GetRequiredService<AgentSignals>();

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
