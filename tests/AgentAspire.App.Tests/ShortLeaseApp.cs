namespace AgentAspire.App.Tests;

/// <summary>
/// The whole app with a 3 s lease on the worker, started once for the tests that kill the worker mid-run: the restarted
/// worker takes the dead one's run over within seconds instead of the default 30.
/// </summary>
public sealed class ShortLeaseApp : IAsyncLifetime
{
    private RunningApp? _running;

    internal RunningApp Running => _running ?? throw new InvalidOperationException("The app has not started.");

    public async ValueTask InitializeAsync() => _running = await RunningApp.StartAsync([], builder =>
        builder.CreateResourceBuilder<ProjectResource>("worker").WithEnvironment("AgentState__LeaseDuration", "00:00:03"));

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ShortLeaseCollection : ICollectionFixture<ShortLeaseApp>
{
    public const string Name = "Short lease";
}
