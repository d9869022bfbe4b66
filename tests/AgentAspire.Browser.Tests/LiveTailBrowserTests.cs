using System.Text.RegularExpressions;
using AgentAspire.AgentState;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

/// <summary>The live tail page: activity of every run as it happens, filtered by action, held while paused.</summary>
public sealed partial class LogViewerBrowserTests
{
    [Fact]
    public async Task Live_tail_shows_every_runs_entries_filters_them_by_action_and_holds_new_ones_while_paused()
    {
        var page = await viewer.OpenAsync("/live");
        var state = page.Locator(".filters .muted");
        var rows = page.Locator("tr.log-entry");
        // The page reads activity from the moment it subscribed: start the runs only once it says so.
        await Expect(state).ToContainTextAsync(new Regex(@"^\s*Live"));

        var first = await viewer.StartRunAsync(new { question = "Which runs does the live tail follow?", stepDelayMs = 200 });
        var second = await viewer.StartRunAsync(new { question = "Does the live tail mix two runs?", stepDelayMs = 200 });
        // Only these two runs' rows are counted: a run of another test may still log something meanwhile.
        var mine = rows.Filter(new() { HasTextRegex = new Regex($"{first}|{second}") });
        try
        {
            // Both runs show up while they are still going, not only once they are done.
            await Expect(rows.Filter(new() { HasText = first }).First).ToBeVisibleAsync();
            await Expect(rows.Filter(new() { HasText = second }).First).ToBeVisibleAsync();
            await viewer.WaitForRunAsync(first, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
            await viewer.WaitForRunAsync(second, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");

            // Every entry of both runs arrives, once.
            var firstLog = (await viewer.Log.ReadAsync(first, count: 1000)).Entries;
            var secondLog = (await viewer.Log.ReadAsync(second, count: 1000)).Entries;
            await Expect(rows.Filter(new() { HasText = first })).ToHaveCountAsync(firstLog.Count);
            await Expect(rows.Filter(new() { HasText = second })).ToHaveCountAsync(secondLog.Count);

            // The action filter keeps only the matching entries, of both runs.
            const string action = "tool_call";
            var toolCalls = firstLog.Concat(secondLog).Count(entry => entry.Action.Contains(action, StringComparison.OrdinalIgnoreCase));
            Assert.True(toolCalls > 0, "The research runs logged no tool call to filter on.");
            await page.Locator("#action-filter").FillAsync(action);
            await Expect(page.Locator($"tr.log-entry:not([data-action*='{action}'])")).ToHaveCountAsync(0);
            await Expect(mine).ToHaveCountAsync(toolCalls);
            await page.Locator("#action-filter").FillAsync("");
            await Expect(mine).ToHaveCountAsync(firstLog.Count + secondLog.Count);

            // Paused, the table keeps what it showed; new entries are counted, not shown.
            await page.Locator("#pause").ClickAsync();
            await Expect(page.Locator("#pause")).ToHaveTextAsync("Resume");
            var shown = await mine.CountAsync();
            // An entry id is unique within its run's log only: two runs' entries may share one.
            var held = new List<(string RunId, string EntryId)>();
            for (var i = 0; i < 3; i++)
            {
                var runId = i % 2 == 0 ? first : second;
                held.Add((runId, (await viewer.Log.AppendAsync(runId, "held_probe", $$"""{"sample":{{i}}}"""))!));
            }

            // All three arrived (at least three held: another test's run may add one more).
            await Expect(state).ToContainTextAsync(new Regex(@"\b([3-9]|\d{2,}) new while paused"));
            Assert.Equal(shown, await mine.CountAsync());
            Assert.Equal(0, await page.Locator("tr.log-entry[data-action='held_probe']").CountAsync());

            // Resumed, the held entries are shown.
            await page.Locator("#pause").ClickAsync();
            await Expect(page.Locator("#pause")).ToHaveTextAsync("Pause");
            foreach (var (runId, entryId) in held)
            {
                await Expect(page.Locator($"tr.log-entry[data-entry-id='{entryId}']").Filter(new() { HasText = runId })).ToHaveCountAsync(1);
            }

            await Expect(mine).ToHaveCountAsync(shown + held.Count);
            await Expect(state).Not.ToContainTextAsync("while paused");
        }
        finally
        {
            await page.CloseAsync();
            await viewer.Store.DeleteAsync(first);
            await viewer.Store.DeleteAsync(second);
        }
    }
}
