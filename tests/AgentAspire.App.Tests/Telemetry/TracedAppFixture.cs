namespace AgentAspire.App.Tests.Telemetry;

/// <summary>
/// One app whose api, worker and demo MCP server (<c>research-tools</c>) export their spans to a receiver of the
/// test's own, a batch every 200 ms: the tests that follow a run's trace share it, each finding its spans by run id.
/// </summary>
public sealed class TracedAppFixture : IAsyncLifetime
{
    private RunningApp? _running;

    internal OtlpTraceReceiver Receiver { get; } = new();

    internal RunningApp Running => _running ?? throw new InvalidOperationException("The app has not started.");

    public async ValueTask InitializeAsync() => _running = await StartExportingToAsync(Receiver, "api", "worker", "research-tools");

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }

    /// <summary>The app with the named services exporting their spans to <paramref name="receiver"/>.</summary>
    internal static Task<RunningApp> StartExportingToAsync(OtlpTraceReceiver receiver, params string[] services) =>
        RunningApp.StartAsync([], builder =>
        {
            foreach (var service in services)
            {
                builder.CreateResourceBuilder<ProjectResource>(service)
                    .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint)
                    .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                    .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200");
            }
        });
}
