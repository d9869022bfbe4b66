using System.Net;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.Bench.Measuring;

/// <summary>The private server and the settings every scenario shares.</summary>
internal sealed class BenchContext(EndPoint endPoint, string? password, TimeSpan duration, bool smoke, string? apiDll, string? workerDll)
{
    /// <summary>How long a scenario measures (about a second in smoke mode).</summary>
    public TimeSpan Duration { get; } = duration;

    /// <summary>Smoke mode: every scenario briefly, to prove it still works; figures mean nothing.</summary>
    public bool Smoke { get; } = smoke;

    /// <summary>The built AgentApi.dll, for the end-to-end scenarios.</summary>
    public string? ApiDll { get; } = apiDll;

    /// <summary>The built AgentWorker.dll, for the end-to-end and worker scenarios.</summary>
    public string? WorkerDll { get; } = workerDll;

    /// <summary>The connection string the app's services take (<c>ConnectionStrings__valkey</c>).</summary>
    public string ConnectionString => password is null ? endPoint.ToString()! : $"{endPoint},password={password}";

    /// <summary>A new connection, as a process of its own would open it.</summary>
    public async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { endPoint },
            Password = password,
            AllowAdmin = true,
            AbortOnConnectFail = true,
            AsyncTimeout = 30_000,
            SyncTimeout = 30_000,
        };
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

    /// <summary>Operations this connection has sent so far (each a round trip's worth of work on the server).</summary>
    public static long SentOperations(IConnectionMultiplexer connection) => connection.GetCounters().Interactive.OperationCount;
}

/// <summary>The AgentState services of one simulated process.</summary>
internal sealed record AgentStateServices(ServiceProvider Provider) : IAsyncDisposable
{
    public CheckpointStore Store => Provider.GetRequiredService<CheckpointStore>();

    public RunLeases Leases => Provider.GetRequiredService<RunLeases>();

    public RunQueue Queue => Provider.GetRequiredService<RunQueue>();

    public ToolCache ToolCache => Provider.GetRequiredService<ToolCache>();

    public AgentSignals Signals => Provider.GetRequiredService<AgentSignals>();

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
