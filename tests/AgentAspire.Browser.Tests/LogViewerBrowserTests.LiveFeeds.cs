using System.Text.Json;
using AgentAspire.AgentState;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

/// <summary>
/// Pages watching one run share the viewer's one live feed of it (one subscription, one read per wake-up), a page
/// that goes away stops its reads at once, and a page whose connection drops and comes back is fed again.
/// </summary>
public sealed partial class LogViewerBrowserTests
{
    [Fact]
    public async Task Ten_pages_on_one_run_share_one_subscription_and_each_shows_new_entries()
    {
        var runId = await viewer.StartRunAsync(new { question = "How many subscriptions do ten pages need?" });
        await viewer.WaitForRunAsync(runId, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
        var pages = new List<IPage>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                pages.Add(await viewer.OpenAsync($"/runs/{runId}"));
            }

            var shared = await FeedAsync(runId, feed => feed.Watchers == 10, "ten pages watch the run");
            var probe = (await viewer.Log.AppendAsync(runId, "feed_probe", """{"pages":10}"""))!;
            foreach (var page in pages)
            {
                await Expect(page.Locator($"tr.log-entry[data-entry-id='{probe}']")).ToHaveCountAsync(1);
            }

            Assert.Equal(1, shared.Subscriptions);
            Assert.Single(await FeedsAsync(), feed => feed.RunId == runId);
        }
        finally
        {
            foreach (var page in pages)
            {
                await page.CloseAsync();
            }

            await viewer.Store.DeleteAsync(runId);
        }
    }

    [Fact]
    public async Task A_closed_page_stops_its_reads_of_the_run()
    {
        var closed = await viewer.StartRunAsync(new { question = "Who reads the log of a closed page?" });
        var other = await viewer.StartRunAsync(new { question = "Which page stays open?" });
        await viewer.WaitForRunAsync(closed, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
        await viewer.WaitForRunAsync(other, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
        var page = await viewer.OpenAsync($"/runs/{closed}");
        var open = await viewer.OpenAsync($"/runs/{other}");
        try
        {
            await FeedAsync(closed, feed => feed.Watchers == 1 && feed.Subscriptions == 1, "the page watches the run");
            var seen = (await viewer.Log.AppendAsync(closed, "feed_probe", """{"open":true}"""))!;
            await Expect(page.Locator($"tr.log-entry[data-entry-id='{seen}']")).ToHaveCountAsync(1);

            // Act: the page closes; its feed stops with it.
            await page.CloseAsync();
            var stopped = await FeedAsync(closed, feed => feed.Watchers == 0 && feed.Subscriptions == 0, "the closed page's feed stops");

            // Entries appended after that wake no one: the open page of another run sees its own entry, the closed
            // run's reads stay where they stopped.
            for (var i = 0; i < 3; i++)
            {
                await viewer.Log.AppendAsync(closed, "feed_probe", $$"""{"closed":{{i}}}""");
            }

            var marker = (await viewer.Log.AppendAsync(other, "feed_probe", """{"marker":true}"""))!;
            await Expect(open.Locator($"tr.log-entry[data-entry-id='{marker}']")).ToHaveCountAsync(1);
            var after = Assert.Single(await FeedsAsync(), feed => feed.RunId == closed);
            Assert.Equal((0, 0, stopped.Reads), (after.Watchers, after.Subscriptions, after.Reads));
        }
        finally
        {
            await open.CloseAsync();
            await viewer.Store.DeleteAsync(closed);
            await viewer.Store.DeleteAsync(other);
        }
    }

    [Fact]
    public async Task A_page_whose_connection_drops_and_comes_back_sees_new_entries_again()
    {
        var runId = await viewer.StartRunAsync(new { question = "Does a page that reconnects catch up?" });
        await viewer.WaitForRunAsync(runId, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
        var page = await viewer.OpenAsync($"/runs/{runId}");
        try
        {
            await FeedAsync(runId, feed => feed.Watchers == 1 && feed.Subscriptions == 1, "the page watches the run");

            // Act: the browser's connection to the viewer drops (as on a network blip); Blazor reconnects by itself.
            await page.EvaluateAsync("() => Blazor._internal.forceCloseConnection()");
            await Expect(page.Locator("#components-reconnect-modal, #components-reconnect-state")).Not.ToBeVisibleAsync(new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await FeedAsync(runId, feed => feed.Watchers == 1 && feed.Subscriptions == 1, "the page watches the run again");
            var after = (await viewer.Log.AppendAsync(runId, "feed_probe", """{"reconnected":true}"""))!;

            // Assert: the entry written after the drop reaches the page, through the one feed of the run.
            await Expect(page.Locator($"tr.log-entry[data-entry-id='{after}']")).ToHaveCountAsync(1);
            Assert.Single(await FeedsAsync(), feed => feed.RunId == runId);
        }
        finally
        {
            await page.CloseAsync();
            await viewer.Store.DeleteAsync(runId);
        }
    }

    [Fact]
    public async Task A_long_run_shows_its_newest_rows_and_earlier_ones_on_request()
    {
        var runId = await viewer.StartRunAsync(new { question = "How many rows does a long run show?" });
        await viewer.WaitForRunAsync(runId, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
        var written = (await viewer.Log.ReadAsync(runId, null, 1000)).Entries.Count;
        for (var i = 0; i < 250; i++)
        {
            await viewer.Log.AppendAsync(runId, "window_probe", $$"""{"n":{{i}}}""");
        }

        var page = await viewer.OpenAsync($"/runs/{runId}");
        try
        {
            // A page holds the newest 200 rows only: the last probe is there, the run's first entries are not.
            var rows = page.Locator("tr.log-entry");
            await Expect(page.Locator("tr.log-entry[data-action='window_probe']").Last).ToContainTextAsync("249");
            await Expect(rows).ToHaveCountAsync(200);
            Assert.Equal(0, await page.Locator("tr.log-entry[data-action='queued']").CountAsync());

            // Act: ask for the earlier ones.
            await page.Locator("button.show-earlier").ClickAsync();

            // Assert: every entry is shown, oldest first, and nothing is left to ask for.
            await Expect(rows).ToHaveCountAsync(written + 250);
            await Expect(rows.First).ToHaveAttributeAsync("data-action", "queued");
            Assert.Equal(0, await page.Locator("button.show-earlier").CountAsync());
        }
        finally
        {
            await page.CloseAsync();
            await viewer.Store.DeleteAsync(runId);
        }
    }

    private sealed record FeedState(string RunId, int Watchers, int Subscriptions, long Reads);

    // The viewer's diagnostic of its live feeds, read with the signed-in browser's cookie.
    private async Task<List<FeedState>> FeedsAsync()
    {
        var response = await viewer.SignedIn.APIRequest.GetAsync(new Uri(viewer.ViewerUrl, "/diagnostics/live-feeds").ToString());
        Assert.True(response.Ok, $"/diagnostics/live-feeds answered {response.Status}");
        return JsonSerializer.Deserialize<List<FeedState>>(await response.TextAsync(), JsonSerializerOptions.Web)!;
    }

    private Task<FeedState> FeedAsync(string runId, Func<FeedState, bool> condition, string what) =>
        Poll.UntilValueAsync(async () => (await FeedsAsync()).FirstOrDefault(feed => feed.RunId == runId && condition(feed)),
            RunTimeout, what);
}
