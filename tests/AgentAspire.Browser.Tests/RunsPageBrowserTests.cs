using System.Globalization;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

/// <summary>The runs page past one page of runs: paging both ways and the status filter.</summary>
public sealed partial class LogViewerBrowserTests
{
    [Fact]
    public async Task Runs_page_pages_through_older_and_newer_runs_and_filters_them_by_status()
    {
        // Enough runs for two full pages; a few wait for approval so the list mixes statuses.
        const int completing = 115;
        const int waiting = 5;
        var runIds = Enumerable.Range(0, completing + waiting).Select(_ => RunIds.NewRunId()).ToList();
        var waitingIds = runIds[completing..];
        try
        {
            await Task.WhenAll(runIds.Select((runId, i) => viewer.Store.CreateAsync(new NewRun(
                runId,
                "research",
                i < completing ? """{"question":"q"}""" : """{"question":"q","requireApproval":true}""",
                "hash-" + i.ToString(CultureInfo.InvariantCulture)))));
            foreach (var runId in runIds)
            {
                var expected = waitingIds.Contains(runId) ? RunStatus.Waiting : RunStatus.Complete;
                await viewer.WaitForRunAsync(runId, run => run.Status == expected, RunTimeout, $"is {expected}");
            }

            var page = await viewer.OpenAsync("/");
            var pager = page.Locator("nav.pager");
            var rows = page.Locator("tr.run-row");
            var pageSize = int.Parse((await pager.GetAttributeAsync("data-page-size"))!, CultureInfo.InvariantCulture);
            Assert.InRange(pageSize, 1, (completing + waiting) / 2);

            // One page at a time: the newest page is full and no longer.
            await Expect(pager).ToContainTextAsync("Page 1");
            await Expect(rows).ToHaveCountAsync(pageSize);
            await Expect(page.Locator("#previous-page")).ToBeDisabledAsync();
            var newest = await RunIdsShownAsync(page);

            // The list stays live while paging: activity of a listed run makes the page re-read itself meanwhile
            // (a log append does not move a run in the list, so the pages keep their runs).
            using var activity = new CancellationTokenSource();
            var appending = KeepAppendingAsync(waitingIds[0], activity.Token);
            try
            {
                for (var round = 0; round < 3; round++)
                {
                    await page.Locator("#next-page").ClickAsync();
                    await Expect(pager).ToContainTextAsync("Page 2");
                    await Expect(rows).ToHaveCountAsync(pageSize);
                    var older = await RunIdsShownAsync(page);
                    Assert.Empty(newest.Intersect(older));

                    await page.Locator("#previous-page").ClickAsync();
                    await Expect(pager).ToContainTextAsync("Page 1");
                    await Expect(page.Locator("#previous-page")).ToBeDisabledAsync();
                    Assert.Equal(newest, await RunIdsShownAsync(page));
                }
            }
            finally
            {
                await activity.CancelAsync();
                await appending;
            }

            // A status filter keeps only runs of that status, and starts again from the newest page.
            await page.Locator("#next-page").ClickAsync();
            await Expect(pager).ToContainTextAsync("Page 2");
            await page.Locator("#status-filter").SelectOptionAsync(RunStatus.Waiting);
            await Expect(pager).ToContainTextAsync("Page 1");
            await Expect(rows.Filter(new() { HasNot = page.Locator($".badge[data-status='{RunStatus.Waiting}']") })).ToHaveCountAsync(0);
            foreach (var runId in waitingIds)
            {
                await Expect(page.Locator($"tr.run-row[data-run-id='{runId}']")).ToHaveCountAsync(1);
            }

            await page.Locator("#status-filter").SelectOptionAsync(RunStatus.Complete);
            await Expect(page.Locator($"tr.run-row[data-run-id='{waitingIds[0]}']")).ToHaveCountAsync(0);
            await Expect(rows).ToHaveCountAsync(pageSize);
            await Expect(rows.Filter(new() { HasNot = page.Locator($".badge[data-status='{RunStatus.Complete}']") })).ToHaveCountAsync(0);
            Assert.All(await page.Locator("tr.run-row .badge").AllInnerTextsAsync(), text => Assert.Equal("complete", text));
            await page.CloseAsync();
        }
        finally
        {
            await Task.WhenAll(runIds.Select(viewer.Store.DeleteAsync));
        }
    }

    private async Task KeepAppendingAsync(string runId, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await viewer.Log.AppendAsync(runId, "paging_probe", "{}");
            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<IReadOnlyList<string>> RunIdsShownAsync(IPage page) =>
        (await page.Locator("tr.run-row").EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.runId)")).ToList();
}
