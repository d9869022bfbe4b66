using AgentAspire.App.Tests.Telemetry;

namespace AgentAspire.App.Tests;

/// <summary>
/// The whole app started once for the tracing tests, every service exporting its spans to one receiver, a batch every
/// 200 ms. The tests tell their own spans apart by run id; what must hold of every span holds across all of them.
/// </summary>
public sealed class TracedApp : IAsyncLifetime
{
    private static readonly string[] Services =
    [
        "api",
        "worker",
        "research-tools",
//#if (IncludeLogViewer)
        "logviewer",
//#endif
    ];

    private RunningApp? _running;

    internal OtlpTraceReceiver Receiver { get; } = new();

    internal RunningApp Running => _running ?? throw new InvalidOperationException("The app has not started.");

    public async ValueTask InitializeAsync() => _running = await RunningApp.StartAsync([], builder =>
    {
        foreach (var service in Services)
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Receiver.Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200");
        }
    });

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }
}
