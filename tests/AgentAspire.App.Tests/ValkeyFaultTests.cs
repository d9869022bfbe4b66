using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;

namespace AgentAspire.App.Tests;

/// <summary>Valkey full: the api answers 503 with Retry-After, writes nothing, and works again once there is room.</summary>
[Collection(AppCollection.Name)]
public sealed class ValkeyFullTests(AppFixture fixture)
{
    [Fact]
    public async Task A_full_Valkey_gets_503_with_Retry_After_and_then_accepts_runs_again()
    {
        // Arrange: a memory limit below what the server already uses, with writes refused rather than data evicted.
        var before = await fixture.SnapshotAsync();
        await fixture.Server.ExecuteAsync("CONFIG", "SET", "maxmemory-policy", "noeviction");
        await fixture.Server.ExecuteAsync("CONFIG", "SET", "maxmemory", "1");
        HttpResponseMessage full;
        ValkeySnapshot during;
        try
        {
            // Act
            full = await fixture.Api.PostAsJsonAsync("/runs", new { agent = "research", input = new { question = "Is there room?" } }, TestContext.Current.CancellationToken);
            during = await fixture.SnapshotAsync();
        }
        finally
        {
            await fixture.Server.ExecuteAsync("CONFIG", "SET", "maxmemory", "0");
        }

        using var roomAgain = await fixture.Api.PostAsJsonAsync("/runs", new { agent = "research", input = new { question = "Is there room now?" } }, TestContext.Current.CancellationToken);

        // Assert
        using (full)
        {
            await ValkeyOutageTests.AssertUnavailableAsync(full, "full");
        }

        before.AssertUnchanged(during);
        Assert.Equal(HttpStatusCode.Accepted, roomAgain.StatusCode);
    }
}

/// <summary>
/// Valkey too slow to answer: a request that times out is a 503 with Retry-After, not a 500. Its write may still land
/// once the server answers; the start repeated with the same Idempotency-Key then queues that run.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ValkeySlowTests(AppFixture fixture)
{
    [Fact]
    public async Task A_Valkey_that_does_not_answer_in_time_gets_503_with_Retry_After_and_the_start_repeated_runs()
    {
        // Arrange: every write command held by the server for longer than the client waits for an answer.
        var input = new { question = "Are you there?" };
        var key = "valkey-slow-" + Guid.NewGuid().ToString("N");
        await fixture.Server.ExecuteAsync("CLIENT", "PAUSE", "15000", "WRITE");
        HttpResponseMessage slow;
        try
        {
            // Act
            using var request = new HttpRequestMessage(HttpMethod.Post, "/runs") { Content = JsonContent.Create(new { agent = "research", input }) };
            request.Headers.Add("Idempotency-Key", key);
            slow = await fixture.Api.SendAsync(request, TestContext.Current.CancellationToken);
        }
        finally
        {
            await fixture.Server.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        // Assert: a 503, and the start repeated with its key (what a client does with a 503) gets the run going, whether
        // the write that timed out landed later or not.
        using (slow)
        {
            await ValkeyOutageTests.AssertUnavailableAsync(slow, "unavailable");
        }

        var runId = await fixture.StartRunAsync(input, key);
        await fixture.WaitForStatusAsync(runId, TimeSpan.FromSeconds(90), "complete");
    }
}

/// <summary>
/// Valkey loading its data (after a restart or a failover it answers every command with LOADING until the data is in):
/// the api answers 503 with Retry-After, writes nothing, and works again once the load ends.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ValkeyLoadingTests(AppFixture fixture)
{
    // Enough keys, each loaded 500 µs late, for a load of about ten seconds: long enough to ask during it.
    private const int FillerKeys = 20_000;

    [Fact]
    public async Task A_Valkey_loading_its_data_gets_503_with_Retry_After_and_then_accepts_runs_again()
    {
        // Arrange: filler keys to load, each slowed by a setting Valkey's own tests use, and the server serving clients
        // (with LOADING) after every kilobyte it loads rather than every two megabytes.
        var cancel = TestContext.Current.CancellationToken;
        // A run through first: the worker is up and its queue exists, so what it creates at its start is not taken for
        // a write made during the load.
        await fixture.WaitForStatusAsync(await fixture.StartRunAsync(new { question = "Are you up?" }), TimeSpan.FromSeconds(90), "complete");
        await FillAsync();
        var eventsInterval = (await fixture.Server.ConfigGetAsync("loading-process-events-interval-bytes")).Single().Value;
        HttpResponseMessage startLoading;
        HttpResponseMessage listLoading;
        bool loadingAfterwards;
        ValkeySnapshot before;
        try
        {
            before = await fixture.SnapshotAsync();
            await fixture.Server.ExecuteAsync("CONFIG", "SET", "key-load-delay", "500", "loading-process-events-interval-bytes", "1024");

            // Act: DEBUG RELOAD saves the data and loads it again; it answers only once the load ends, so it goes over a
            // connection of its own.
            await using var reloader = await ConnectionMultiplexer.ConnectAsync(
                fixture.ConnectionString + ",allowAdmin=true,syncTimeout=180000,asyncTimeout=180000");
            var reload = reloader.GetServers().Single().ExecuteAsync("DEBUG", "RELOAD");
            await Poll.UntilAsync(IsLoadingAsync, TimeSpan.FromSeconds(60), "Valkey to start loading its data");
            startLoading = await fixture.Api.PostAsJsonAsync("/runs", new { agent = "research", input = new { question = "Are you loaded?" } }, cancel);
            listLoading = await fixture.Api.GetAsync("/runs", cancel);
            loadingAfterwards = await IsLoadingAsync();
            await reload.WaitAsync(TimeSpan.FromMinutes(3), cancel);
        }
        finally
        {
            await fixture.Server.ExecuteAsync("CONFIG", "SET", "key-load-delay", "0", "loading-process-events-interval-bytes", eventsInterval);
        }

        var after = await fixture.SnapshotAsync();
        var input = new { question = "Are you loaded now?" };
        var runId = await fixture.StartRunAsync(input);
        await fixture.WaitForStatusAsync(runId, TimeSpan.FromSeconds(90), "complete");
        using var listAgain = await fixture.Api.GetAsync("/runs", cancel);
        await EmptyAsync();

        // Assert: both answered while Valkey was still loading, each a 503 with Retry-After; nothing was written; once
        // loaded, a run starts and the worker completes it.
        Assert.True(loadingAfterwards, "Valkey finished loading before the api answered; the load was too short to test.");
        using (startLoading)
        using (listLoading)
        {
            await ValkeyOutageTests.AssertUnavailableAsync(startLoading, "unavailable");
            await ValkeyOutageTests.AssertUnavailableAsync(listLoading, "unavailable");
        }

        before.AssertUnchanged(after);
        Assert.Equal(HttpStatusCode.OK, listAgain.StatusCode);
    }

    private async Task<bool> IsLoadingAsync() =>
        (await fixture.Server.InfoAsync("persistence")).SelectMany(group => group).Any(entry => entry.Key == "loading" && entry.Value == "1");

    private async Task FillAsync()
    {
        var batch = fixture.Database.CreateBatch();
        var writes = Enumerable.Range(0, FillerKeys)
            .Select(i => batch.StringSetAsync(FillerKey(i), "filler", TimeSpan.FromMinutes(10)))
            .ToArray();
        batch.Execute();
        await Task.WhenAll(writes);
    }

    private async Task EmptyAsync()
    {
        var batch = fixture.Database.CreateBatch();
        var deletes = Enumerable.Range(0, FillerKeys).Select(i => batch.KeyDeleteAsync(FillerKey(i))).ToArray();
        batch.Execute();
        await Task.WhenAll(deletes);
    }

    private static string FillerKey(int i) => "test:loading-filler:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Valkey gone: the api answers 503 with Retry-After, and recovers by itself when Valkey comes back.</summary>
public sealed class ValkeyOutageTests
{
    [Fact]
    public async Task Valkey_stopped_gets_503_with_Retry_After_and_the_api_recovers_when_it_returns()
    {
        // Arrange: an app of its own, since its Valkey goes away.
        await using var running = await RunningApp.StartAsync([]);
        var cancel = TestContext.Current.CancellationToken;
        using (var before = await running.Api.GetAsync("/runs", cancel))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // Act: stop the server, ask, start it again, ask until it answers.
        await running.App.ResourceCommands.ExecuteCommandAsync("valkey", KnownResourceCommands.StopCommand, cancel);
        await running.App.ResourceNotifications.WaitForResourceAsync("valkey", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancel);
        using var down = await running.Api.GetAsync("/runs", cancel);
        using var startDown = await running.Api.PostAsJsonAsync("/runs", new { agent = "research", input = new { question = "Anyone home?" } }, cancel);
        await running.App.ResourceCommands.ExecuteCommandAsync("valkey", KnownResourceCommands.StartCommand, cancel);
        var recovered = System.Diagnostics.Stopwatch.StartNew();
        await Poll.UntilAsync(async () =>
        {
            using var response = await running.Api.GetAsync("/runs", cancel);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(90), "the api answers again after Valkey came back");

        // Assert
        TestContext.Current.SendDiagnosticMessage($"The api answered again {recovered.Elapsed.TotalSeconds:F1} s after Valkey was started.");
        await AssertUnavailableAsync(down, "unavailable");
        await AssertUnavailableAsync(startDown, "unavailable");
    }

    internal static async Task AssertUnavailableAsync(HttpResponseMessage response, string titleContains)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing.");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(titleContains, problem.RootElement.GetProperty("title").GetString());
    }
}
