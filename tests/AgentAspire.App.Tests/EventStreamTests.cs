using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentAspire.App.Tests;

/// <summary>
/// <c>/runs/{id}/events</c> ends with the run, answers a client that already saw the end at once, and keeps an idle
/// stream open with heartbeat comments that cost Valkey nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class EventStreamTests(AppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_finished_runs_stream_ends_after_its_last_entry()
    {
        var runId = await fixture.StartRunAsync(new { question = "When does a stream end?" });
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(RunTimeout);

        using var response = await EventStream.OpenAsync(fixture.Api, runId, null, timeout.Token);
        var (events, ended) = await EventStream.ReadAsync(response, _ => false, timeout.Token);

        Assert.True(ended);
        Assert.Equal("queued", events[0].EventType);
        Assert.Equal("complete", events[^1].EventType);
    }

    [Fact]
    public async Task A_live_runs_stream_ends_after_the_entry_that_ends_it()
    {
        var runId = await fixture.StartRunAsync(new { question = "Does the stream follow the run to its end?", stepDelayMs = 300 });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(RunTimeout);

        using var response = await EventStream.OpenAsync(fixture.Api, runId, null, timeout.Token);
        var (events, ended) = await EventStream.ReadAsync(response, _ => false, timeout.Token);

        Assert.True(ended);
        Assert.Equal("complete", events[^1].EventType);
        Assert.Equal("complete", (await fixture.GetRunAsync(runId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Resuming_at_the_end_of_a_finished_run_returns_an_empty_stream_at_once()
    {
        var runId = await fixture.StartRunAsync(new { question = "Is there anything after the end?" });
        await fixture.WaitForStatusAsync(runId, RunTimeout, "complete");
        var log = await fixture.Api.GetFromJsonAsync<JsonElement>($"/runs/{runId}/log?count=1000", Cancel);
        var lastId = log.GetProperty("entries").EnumerateArray().Last().GetProperty("id").GetString();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var watch = Stopwatch.StartNew();

        using var response = await EventStream.OpenAsync(fixture.Api, runId, lastId, timeout.Token);
        var (events, ended) = await EventStream.ReadAsync(response, _ => true, timeout.Token);

        TestContext.Current.SendDiagnosticMessage($"The empty stream closed after {watch.ElapsedMilliseconds} ms.");
        Assert.True(ended);
        Assert.Empty(events);
    }

    [Fact]
    public async Task An_idle_live_run_gets_heartbeats_and_costs_Valkey_no_reads()
    {
        // Arrange: a run that waits for a person logs nothing until someone decides.
        var runId = await fixture.StartRunAsync(new { question = "Is anyone there?", requireApproval = true });
        await fixture.WaitForStatusAsync(runId, RunTimeout, "waiting");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await EventStream.OpenAsync(fixture.Api, runId, null, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        // Act: read the backlog up to the first blank line after the waiting entry, then wait for a comment line.
        var sawWaiting = false;
        long? readsWhenIdle = null;
        var watch = Stopwatch.StartNew();
        string? heartbeat = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "event: waiting")
            {
                sawWaiting = true;
            }
            else if (sawWaiting && line.Length == 0 && readsWhenIdle is null)
            {
                readsWhenIdle = await StreamReadsAsync();
                watch.Restart();
            }
            else if (line.StartsWith(':'))
            {
                heartbeat = line;
                break;
            }
        }

        var readsAfter = await StreamReadsAsync();
        await fixture.Api.PostAsync($"/runs/{runId}/cancel", null, Cancel);

        // Assert
        TestContext.Current.SendDiagnosticMessage($"The first heartbeat came {watch.Elapsed.TotalSeconds:F1} s after the backlog.");
        Assert.True(sawWaiting);
        Assert.NotNull(heartbeat);
        Assert.Equal(readsWhenIdle, readsAfter);
    }

    // How many stream reads (XRANGE) Valkey has served; nothing else in the app reads a run's log while no page is open.
    private async Task<long> StreamReadsAsync()
    {
        var info = await fixture.Server.InfoAsync("commandstats");
        var xrange = info.SelectMany(group => group).FirstOrDefault(pair => pair.Key == "cmdstat_xrange").Value ?? "calls=0,";
        return long.Parse(xrange.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
