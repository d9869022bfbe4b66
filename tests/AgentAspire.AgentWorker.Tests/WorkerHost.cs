using AgentAspire.Agents;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>
/// One worker process, hosted in the test: the worker's own registration (<c>AddAgentState</c>, <c>AddAgentWorker</c>)
/// with the test agents instead of the app's, over its own connection to the real server.
/// </summary>
public sealed class WorkerHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private bool _started;
    private bool _stopped;

    private WorkerHost(IHost host, LogRecorder logs, string name)
    {
        Host = host;
        Logs = logs;
        Name = name;
    }

    /// <summary>The worker's name: its queue consumer and the <c>worker</c> field of its log entries.</summary>
    public string Name { get; }

    public IHost Host { get; }

    public LogRecorder Logs { get; }

    /// <summary>
    /// Builds a worker host; <paramref name="settings"/> override the test defaults (keys as in appsettings, e.g.
    /// <c>Worker:StepRetries</c>); <paramref name="agents"/> adds agents, of any kind, to the test agents, as an app's
    /// <c>AddAppAgents</c> would.
    /// </summary>
    public static WorkerHost Create(
        IConnectionMultiplexer connection, StepGate gate, string name, IReadOnlyDictionary<string, string?>? settings = null, Action<AgentsBuilder>? agents = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:Name"] = name,
            ["Worker:PollInterval"] = "00:00:00.200",
            ["Worker:StepRetryDelay"] = "00:00:00.010",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var logs = new LogRecorder(name);
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopTimeout);

        builder.Services.AddSingleton(connection);
        builder.Services.AddSingleton(gate);
        builder.Services.AddAgentState(builder.Configuration);
        var registered = builder.Services.AddAgents()
            .AddAgent<GateAgent>()
            .AddAgent<FailingAgent>()
            .AddTool<CountingTool>();
        agents?.Invoke(registered);
        builder.Services.AddAgentChatClient(builder.Configuration);
        builder.Services.AddAgentWorker(builder.Configuration);
        return new WorkerHost(builder.Build(), logs, name);
    }

    /// <summary>A worker over a connection of its own to <paramref name="server"/>, standing for a process of its own.</summary>
    public static async Task<WorkerHost> CreateAsync(
        ValkeyServerFixture server, StepGate gate, string name, IReadOnlyDictionary<string, string?>? settings = null, Action<AgentsBuilder>? agents = null) =>
        Create(await server.ConnectAsync(), gate, name, settings, agents);

    public async Task StartAsync()
    {
        await Host.StartAsync(TestContext.Current.CancellationToken);
        _started = true;
    }

    /// <summary>Stops the worker as a SIGTERM would; returns once every run in hand was handed back.</summary>
    public async Task StopAsync()
    {
        if (_started && !_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(StopTimeout);
            await Host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
        TestContext.Current.TestOutputHelper?.WriteLine($"--- worker {Name} ---\n{string.Join('\n', Logs.Lines)}");
    }
}
