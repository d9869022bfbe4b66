using AgentAspire.LocalValkey;
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentAspire.App.Tests;

/// <summary>
/// The app started once for <see cref="CredentialTests"/>: new and previous keys for the api and the viewer (the
/// overlap of a rotation), a low limit of wrong keys, and the api and the viewer on ports of their own with no proxy
/// in front, so each test client is seen by its own loopback address. Collects the api's log lines.
/// </summary>
public sealed class CredentialApp : IAsyncLifetime
{
    public const string NewApiKey = "NewApiKey0000000000000000000000000001";
    public const string OldApiKey = "OldApiKey0000000000000000000000000001";
    public const string NewAccessKey = "NewAccessKey00000000000000000000000001";
    public const string OldAccessKey = "OldAccessKey00000000000000000000000001";
    public const int PermitLimit = 3;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentQueue<string> _apiLog = new();
    private RunningApp? _running;
    private volatile bool _overlapOver;

    public int ApiPort { get; } = LoopbackPorts.Free();

    public int ViewerPort { get; } = LoopbackPorts.Free();

    /// <summary>The api's log so far, a line at a time, in order.</summary>
    public IReadOnlyCollection<string> ApiLog => _apiLog;

    public async ValueTask InitializeAsync()
    {
        _running = await RunningApp.StartAsync(
            [
                $"--Parameters:api-key={NewApiKey}", $"--Parameters:api-key-previous={OldApiKey}",
                $"--Parameters:logviewer-access-key={NewAccessKey}", $"--Parameters:logviewer-access-key-previous={OldAccessKey}",
            ],
            builder =>
            {
                builder.Services.AddSingleton<ILoggerProvider>(new ApiLogCapture(_apiLog));
                (string Service, int Port, string PreviousKey)[] services =
                [
                    ("api", ApiPort, "AgentApi__PreviousApiKey"),
//#if (IncludeLogViewer)
                    ("logviewer", ViewerPort, "LogViewer__PreviousAccessKey"),
//#endif
                ];
                foreach (var (service, port, previousKey) in services)
                {
                    builder.CreateResourceBuilder<ProjectResource>(service)
                        .WithEndpoint("http", endpoint =>
                        {
                            endpoint.IsProxied = false;
                            endpoint.Port = port;
                            endpoint.TargetPort = port;
                        })
                        .WithEnvironment("FailedCredentials__PermitLimit", PermitLimit.ToString(CultureInfo.InvariantCulture))
                        .WithEnvironment("FailedCredentials__LogInterval", "00:00:02")
                        // The third step of a rotation: the previous key gone from the service's configuration.
                        .WithEnvironment(context =>
                        {
                            if (_overlapOver)
                            {
                                context.EnvironmentVariables.Remove(previousKey);
                            }
                        });
                }
            });
//#if (IncludeLogViewer)
        await _running.App.ResourceNotifications.WaitForResourceHealthyAsync("logviewer", TestContext.Current.CancellationToken);
//#endif
    }

    /// <summary>Ends the overlap: the previous keys are removed and the api and the viewer restarted.</summary>
    public async Task EndOverlapAsync()
    {
        _overlapOver = true;
        string[] services =
        [
            "api",
//#if (IncludeLogViewer)
            "logviewer",
//#endif
        ];
        foreach (var service in services)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(Timeout);
            // Stop, then start: the new process reads its environment again, without the previous key. Under load a
            // stop may report a failure and still end the process, or a start be refused while the stop settles:
            // what counts is that the service comes back healthy.
            var app = _running!.App;
            await app.ResourceCommands.ExecuteCommandAsync(service, KnownResourceCommands.StopCommand, timeout.Token);
            await app.ResourceNotifications.WaitForResourceAsync(service,
                e => e.Snapshot.State?.Text is { } state && state != KnownResourceStates.Running && state != KnownResourceStates.Stopping, timeout.Token);
            await Poll.UntilAsync(async () => (await app.ResourceCommands.ExecuteCommandAsync(service, KnownResourceCommands.StartCommand, timeout.Token)).Success,
                Timeout, $"{service} starts again");
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }
    }

    // The AppHost forwards each resource's console to its own log, under the category "….Resources.NAME"; a
    // provider there sees the api's lines across its restart, in order.
    private sealed class ApiLogCapture(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.EndsWith(".Resources.api", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }
    }
}
