using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;

namespace AgentAspire.App.Tests;

/// <summary>
/// Starts the whole AppHost once for a collection: a local valkey-server with a data folder of its own, the api,
/// the worker and the viewer. Tests talk to the api over HTTP and look at Valkey directly to check what it holds.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("agentaspire-api-test-").FullName;
    private DistributedApplication? _app;
    private ConnectionMultiplexer? _valkey;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    public HttpClient Api { get; private set; } = null!;

    public IDatabase Database => (_valkey ?? throw new InvalidOperationException("Valkey is not connected.")).GetDatabase();

    public IServer Server => _valkey!.GetServers().Single();

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(s_startTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AgentAspire_AppHost>(
            ["--Valkey:Mode=local", $"--Valkey:DataDirectory={_dataDirectory}"], timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("valkey", timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        await _app.ResourceNotifications.WaitForResourceAsync("worker", KnownResourceStates.Running, timeout.Token);

        Api = _app.CreateHttpClient("api", "http");
        var connectionString = await _app.GetConnectionStringAsync("valkey", timeout.Token);
        _valkey = await ConnectionMultiplexer.ConnectAsync(connectionString! + ",allowAdmin=true");
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (_valkey is not null)
        {
            await _valkey.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The server may still be closing its files; the folder is in the temp directory.
        }
    }

    /// <summary>Starts a research run and returns its id.</summary>
    public async Task<string> StartRunAsync(object input, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/runs") { Content = JsonContent.Create(new { agent = "research", input }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Api.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("runId").GetString()!;
    }

    /// <summary>Reads a run; fails unless it exists.</summary>
    public async Task<JsonElement> GetRunAsync(string runId) =>
        await Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}", TestContext.Current.CancellationToken);

    /// <summary>Polls a run until its status is one of <paramref name="statuses"/>; returns the run.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string runId, TimeSpan timeout, params string[] statuses)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        JsonElement run = default;
        try
        {
            while (true)
            {
                run = await GetRunAsync(runId);
                if (statuses.Contains(run.GetProperty("status").GetString()))
                {
                    return run;
                }

                await Task.Delay(100, cancel.Token);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Run {runId} did not reach {string.Join(" or ", statuses)} within {timeout}; last seen: {run}");
            throw;
        }
    }

    /// <summary>Every key in Valkey.</summary>
    public async Task<HashSet<string>> KeysAsync(string pattern = "*")
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in Server.KeysAsync(pattern: pattern, pageSize: 1000))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "App";
}
