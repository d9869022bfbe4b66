using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState.Logs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentState.Tests.Valkey;

public sealed class ActivityLogTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task Paging_past_a_thousand_entries_returns_every_entry_in_order()
    {
        // Arrange: a run (its log starts with "queued") and 2,500 more entries
        var services = Services();
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));
        var appended = new List<string?>();
        for (var i = 0; i < 2500; i++)
        {
            // One after another: concurrent appends promise no order among themselves.
            appended.Add(await services.Log.AppendAsync(runId, "tick", $$"""{"i":{{i}}}""", step: 1));
        }

        // Act
        var paged = new List<LogEntry>();
        var after = StreamIds.Beginning;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await services.Log.ReadAsync(runId, after, count: 1000);
            paged.AddRange(page.Entries);
            after = page.Next;
            if (page.Entries.Count == 0)
            {
                break;
            }
        }

        var all = new List<LogEntry>();
        await foreach (var entry in services.Log.ReadAllAsync(runId, Cancellation))
        {
            all.Add(entry);
        }

        // Assert
        Assert.All(appended, Assert.NotNull);
        foreach (var entries in new[] { paged, all })
        {
            Assert.Equal(2501, entries.Count);
            Assert.Equal("queued", entries[0].Action);
            var ticks = entries.Skip(1).ToList();
            Assert.Equal(Enumerable.Range(0, 2500), ticks.Select(entry => JsonDocument.Parse(entry.DetailsJson).RootElement.GetProperty("i").GetInt32()));
            Assert.Equal(appended, ticks.Select(entry => entry.Id));
            var ids = entries.Select(entry => ParseId(entry.Id)).ToList();
            Assert.All(ids.Zip(ids.Skip(1)), pair => Assert.True(pair.First.CompareTo(pair.Second) < 0, $"{pair.First} then {pair.Second}"));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Tail_yields_the_existing_entries_then_a_new_one()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));
        await services.Log.AppendAsync(runId, "one", "{}");
        await services.Log.AppendAsync(runId, "two", "{}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        stop.CancelAfter(Wait);
        await using var tail = services.Log.TailAsync(runId, cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);

        // Act
        var existing = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await tail.MoveNextAsync().AsTask().WaitAsync(Wait, Cancellation));
            existing.Add(tail.Current.Action);
        }

        var waitForNew = tail.MoveNextAsync().AsTask();
        await services.Log.AppendAsync(runId, "three", """{"late":true}""");
        var gotNew = await waitForNew.WaitAsync(Wait, Cancellation);

        // Assert
        Assert.Equal(["queued", "one", "two"], existing);
        Assert.True(gotNew);
        Assert.Equal("three", tail.Current.Action);
        Assert.Equal("""{"late":true}""", tail.Current.DetailsJson);
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_run_whose_log_grows_wakes_a_listener_of_all_runs_when_many_grow_at_once()
    {
        // Arrange: a listener of every run's log, and 40 runs
        var services = Services();
        var signals = services.Provider.GetRequiredService<AgentSignals>();
        var heard = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await using var subscription = await signals.OnLogAppendedAsync(id => heard.AddOrUpdate(id, 1, (_, count) => count + 1));
        var runIds = Enumerable.Range(0, 40).Select(_ => NewRunId()).ToList();
        foreach (var id in runIds)
        {
            await services.Store.CreateAsync(NewRun(id));
        }

        // Act: an entry for each, all at once, so the wake-ups of a channel go out several runs to a message
        await Task.WhenAll(runIds.Select(id => services.Log.AppendAsync(id, "tick", "{}")));

        // Assert
        await Poll.UntilAsync(() => Task.FromResult(runIds.All(heard.ContainsKey)), Wait, "a wake-up of every run",
            () => $"heard {heard.Count} of {runIds.Count} runs");
        Assert.Empty(heard.Keys.Except(runIds));
    }

    [Fact(Timeout = 30_000)]
    public async Task Appending_to_a_run_that_does_not_exist_writes_nothing()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();

        // Act
        var id = await services.Log.AppendAsync(runId, "orphan", "{}");

        // Assert
        Assert.Null(id);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Log(runId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Reading_refuses_a_malformed_cursor_or_count()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();

        // Act and Assert
        await Assert.ThrowsAsync<ArgumentException>(() => services.Log.ReadAsync(runId, "latest"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => services.Log.ReadAsync(runId, count: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => services.Log.ReadAsync(runId, count: 1001));
        await Assert.ThrowsAsync<ArgumentException>(() => services.Log.ReadAsync("bad:id"));
    }

    private static (ulong Milliseconds, ulong Sequence) ParseId(string id)
    {
        var parts = id.Split('-');
        return (ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
