using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.App.Tests;

/// <summary>
/// The whole AppHost started for a test (Valkey as a local process), with the AgentState services connected to its
/// Valkey so the test can create runs and read their state and log.
/// </summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private RunningApp(DistributedApplication app, IConnectionMultiplexer connection, ServiceProvider services)
    {
        App = app;
        Connection = connection;
        Services = services;
    }

    public DistributedApplication App { get; }

    public IConnectionMultiplexer Connection { get; }

    public ServiceProvider Services { get; }

    public CheckpointStore Store => Services.GetRequiredService<CheckpointStore>();

    public ActivityLog Log => Services.GetRequiredService<ActivityLog>();

    /// <summary>Starts the AppHost; <paramref name="configure"/> may change resources before the start (environment of the worker…).</summary>
    public static async Task<RunningApp> StartAsync(string[] args, Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentAspire_AppHost>(["Valkey:Mode=local", .. args], timeout.Token);
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("valkey", timeout.Token);

        var connection = await ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync("valkey", timeout.Token))!);
        var services = new ServiceCollection()
            .AddSingleton<IConnectionMultiplexer>(connection)
            .AddLogging()
            .AddAgentState()
            .BuildServiceProvider();
        return new RunningApp(app, connection, services);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(100, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout} waiting until {what}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Connection.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
