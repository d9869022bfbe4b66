using System.Diagnostics;
using System.Globalization;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AgentAspire.App.Tests;

/// <summary>
/// The whole AppHost started for tests: a local valkey-server in a fresh data folder of its own (so nothing cached
/// by an earlier run leaks in), the api, the worker and the viewer. Gives an HTTP client for the api, a Valkey
/// connection, and the AgentState services on it to create runs and read their state and log directly.
/// </summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory;

    private RunningApp(DistributedApplication app, IConnectionMultiplexer connection, ServiceProvider services, string apiKey, string dataDirectory, string connectionString)
    {
        ConnectionString = connectionString;
        App = app;
        Connection = connection;
        Services = services;
        ApiKey = apiKey;
        Api = CreateApiClient(apiKey);
        _dataDirectory = dataDirectory;
    }

    public DistributedApplication App { get; }

    /// <summary>A connection to the app's Valkey, with admin commands allowed (SCAN across the server).</summary>
    public IConnectionMultiplexer Connection { get; }

    public ServiceProvider Services { get; }

    /// <summary>The connection string the services got for Valkey.</summary>
    public string ConnectionString { get; }

    /// <summary>A client of the api that sends the AppHost's API key with every request.</summary>
    public HttpClient Api { get; }

    /// <summary>The value of the AppHost's secret parameter <c>api-key</c>.</summary>
    public string ApiKey { get; }

    public RunStore Store => Services.GetRequiredService<RunStore>();

    public ActivityLog Log => Services.GetRequiredService<ActivityLog>();

    /// <summary>Starts the AppHost and waits for valkey, api and worker; <paramref name="configure"/> may change resources first.</summary>
    public static async Task<RunningApp> StartAsync(string[] args, Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        var dataDirectory = Directory.CreateTempSubdirectory("agentaspire-app-test-").FullName;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentAspire_AppHost>(
            ["--Valkey:Mode=local", $"--Valkey:DataDirectory={dataDirectory}", .. args], timeout.Token);
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("valkey", timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        await app.ResourceNotifications.WaitForResourceAsync("worker", KnownResourceStates.Running, timeout.Token);

        var connectionString = (await app.GetConnectionStringAsync("valkey", timeout.Token))!;
        var connection = await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true");
        var services = new ServiceCollection()
            .AddSingleton<IConnectionMultiplexer>(connection)
            .AddLogging()
            .AddAgentState()
            .BuildServiceProvider();
        var apiKey = await ParameterValueAsync(app, "api-key", timeout.Token);
        return new RunningApp(app, connection, services, apiKey, dataDirectory, connectionString);
    }

    /// <summary>The value of the AppHost's parameter <paramref name="name"/> (a generated key, for one).</summary>
    public Task<string> ParameterValueAsync(string name) => ParameterValueAsync(App, name, TestContext.Current.CancellationToken);

    private static async Task<string> ParameterValueAsync(DistributedApplication app, string name, CancellationToken cancellationToken) =>
        (await app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(parameter => parameter.Name == name)
            .GetValueAsync(cancellationToken))!;

    /// <summary>A client of the api that sends <paramref name="apiKey"/> in <c>X-Api-Key</c>, or no key at all.</summary>
    public HttpClient CreateApiClient(string? apiKey)
    {
        var client = App.CreateHttpClient("api", "http");
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>Kills the worker process outright (no graceful shutdown, no lease released) and waits until it is gone.</summary>
    public async Task KillWorkerAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        using var process = await WorkerLauncherAsync(timeout.Token);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(timeout.Token);
        await WaitForWorkerToEndAsync(timeout.Token);
    }

    /// <summary>
    /// Sends SIGTERM to the worker process itself, as a container platform does before it stops a replica, and
    /// waits until the worker has shut down.
    /// </summary>
    public async Task TerminateWorkerAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        using var launcher = await WorkerLauncherAsync(timeout.Token);
        // The resource's process is the launcher (dotnet run); the worker is its child.
        var workerPid = Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Single(pid => pid > 0 && ParentOf(pid) == launcher.Id && File.ReadAllText($"/proc/{pid}/comm").StartsWith("AgentAspire", StringComparison.Ordinal));
        using var worker = Process.GetProcessById(workerPid);
        using (var kill = Process.Start("kill", ["-TERM", workerPid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(timeout.Token);
        }

        await worker.WaitForExitAsync(timeout.Token);
        await WaitForWorkerToEndAsync(timeout.Token);
    }

    private async Task<Process> WorkerLauncherAsync(CancellationToken cancellationToken)
    {
        var running = await App.ResourceNotifications.WaitForResourceAsync("worker",
            e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), cancellationToken);
        return Process.GetProcessById(Convert.ToInt32(running.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture));
    }

    private Task<ResourceEvent> WaitForWorkerToEndAsync(CancellationToken cancellationToken) =>
        App.ResourceNotifications.WaitForResourceAsync("worker", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken);

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Starts the worker again after <see cref="KillWorkerAsync"/>.</summary>
    public async Task StartWorkerAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        await App.ResourceCommands.ExecuteCommandAsync("worker", KnownResourceCommands.StartCommand, timeout.Token);
        await App.ResourceNotifications.WaitForResourceAsync("worker", KnownResourceStates.Running, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Services.DisposeAsync();
        await Connection.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The server may still be closing its files; the folder is in the temp directory.
        }
    }
}
