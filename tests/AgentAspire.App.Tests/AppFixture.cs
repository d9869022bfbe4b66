using System.Net.Http.Json;
using System.Text.Json;
using AgentAspire.AgentState;
using StackExchange.Redis;

namespace AgentAspire.App.Tests;

/// <summary>
/// The whole app (<see cref="RunningApp"/>) started once for a collection. Tests talk to the api over HTTP and look
/// at Valkey directly to check what it holds.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private RunningApp? _running;

    internal RunningApp Running => _running ?? throw new InvalidOperationException("The app has not started.");

    public DistributedApplication App => Running.App;

    /// <summary>A client of the api that sends the API key.</summary>
    public HttpClient Api => Running.Api;

    /// <inheritdoc cref="RunningApp.ApiKey"/>
    public string ApiKey => Running.ApiKey;

    /// <inheritdoc cref="RunningApp.CreateApiClient"/>
    public HttpClient CreateApiClient(string? apiKey) => Running.CreateApiClient(apiKey);

    public IDatabase Database => Running.Connection.GetDatabase();

    /// <inheritdoc cref="RunningApp.ConnectionString"/>
    public string ConnectionString => Running.ConnectionString;

    public IServer Server => Running.Connection.GetServers().Single();

    /// <inheritdoc cref="RunningApp.KillWorkerAsync"/>
    public Task KillWorkerAsync() => Running.KillWorkerAsync();

    /// <inheritdoc cref="RunningApp.StartWorkerAsync"/>
    public Task StartWorkerAsync() => Running.StartWorkerAsync();

    // Every test client reaches the api through the same local proxy address, and ApiKeyTests alone sends more wrong
    // keys than the default limit: the shared app raises it (CredentialTests checks the throttle on an app of its own).
    // ValkeyLoadingTests has the server load its data again (DEBUG RELOAD), which Valkey allows only when asked to.
    public async ValueTask InitializeAsync() => _running = await RunningApp.StartAsync([], builder =>
    {
        builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("FailedCredentials__PermitLimit", "1000");
        builder.CreateResourceBuilder<ValkeyProcessResource>("valkey").WithArgs("--enable-debug-command", "local");
    });

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts a research run and returns its id. With an idempotency key the request is sent once more if the first
    /// got no answer at all (a pooled connection closed under it), as a client of an idempotent endpoint may.
    /// </summary>
    public async Task<string> StartRunAsync(object input, string? idempotencyKey = null)
    {
        using var response = await SendStartAsync(input, idempotencyKey, mayRetry: true)
            ?? (await SendStartAsync(input, idempotencyKey, mayRetry: false))!;
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("runId").GetString()!;
    }

    // Null when a request that may be sent again (it has an idempotency key) got no answer at all.
    private async Task<HttpResponseMessage?> SendStartAsync(object input, string? idempotencyKey, bool mayRetry)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/runs") { Content = JsonContent.Create(new { agent = "research", input }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        try
        {
            return await Api.SendAsync(request, TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException) when (mayRetry && idempotencyKey is not null)
        {
            return null;
        }
    }

    /// <summary>Reads a run; fails unless it exists.</summary>
    public async Task<JsonElement> GetRunAsync(string runId) =>
        await Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}", TestContext.Current.CancellationToken);

    /// <summary>Polls a run until its status is one of <paramref name="statuses"/>; returns the run.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string runId, TimeSpan timeout, params string[] statuses)
    {
        JsonElement run = default;
        await Poll.UntilAsync(async () =>
            {
                run = await GetRunAsync(runId);
                return statuses.Contains(run.GetProperty("status").GetString());
            },
            timeout, $"run {runId} to reach {string.Join(" or ", statuses)}", () => $"Last seen: {run}");
        return run;
    }

    /// <summary>
    /// What Valkey holds now, to compare after a request that must change nothing. Taken once no run is queued or in
    /// progress, no worker holds a lease, and two snapshots in a row agree: a run an earlier test started (or
    /// cancelled while its step still runs) keeps writing until it ends, and the listing-index write of its last
    /// change follows its script rather than riding in it, so it can land just after the lease is gone. Either would
    /// change the snapshot under the request (the slower the machine, the likelier).
    /// </summary>
    public async Task<ValkeySnapshot> SnapshotAsync()
    {
        string[] active = [];
        ValkeySnapshot? last = null;
        return await Poll.UntilValueAsync(async () =>
            {
                active = await ActiveRunsAsync();
                var now = active.Length == 0 ? await ValkeySnapshot.TakeAsync(this) : null;
                var settled = now is not null && last is not null && now.Matches(last);
                last = now;
                return settled ? now : null;
            },
            TimeSpan.FromMinutes(3), "the runs of earlier tests to end and Valkey to settle", () => $"Still active: {string.Join(", ", active)}");
    }

    private async Task<string[]> ActiveRunsAsync()
    {
        var states = (await KeysAsync("agent:state:*")).ToArray();
        var statuses = await Task.WhenAll(states.Select(key => Database.HashGetAsync(key, "status")));
        return states.Where((_, i) => statuses[i] == RunStatus.Queued || statuses[i] == RunStatus.InProgress)
            .Concat(await KeysAsync("agent:lease:*"))
            .ToArray();
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
