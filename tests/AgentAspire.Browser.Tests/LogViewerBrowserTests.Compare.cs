using System.Text.Json;
using System.Text.RegularExpressions;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Replays;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

/// <summary>The compare page: two runs with different questions differ in their answer, highlighted; a replay from the record is identical.</summary>
public sealed partial class LogViewerBrowserTests
{
    [Fact]
    public async Task Compare_page_highlights_the_changed_answer_of_two_runs_and_fits_the_window()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var runA = await viewer.StartRunAsync(new { question = "How does a run resume after a crash?", stepDelayMs = 0 });
        var runB = await viewer.StartRunAsync(new { question = "What is a fence token?", stepDelayMs = 0 });
        await viewer.WaitForRunAsync(runA, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
        await viewer.WaitForRunAsync(runB, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");
        var answerA = await AnswerAsync(runA, cancellation);
        var answerB = await AnswerAsync(runB, cancellation);
        Assert.NotEqual(answerA, answerB);

        var page = await viewer.OpenAsync($"/runs/{runA}/compare/{runB}");
        try
        {
            await Expect(page.Locator("#compare-outcome")).ToHaveAttributeAsync("data-outcome", ReplayOutcomes.Differs);
            await Expect(page.Locator("#side-a .badge")).ToHaveAttributeAsync("data-status", RunStatus.Complete);

            // The answer's row of the respond step: each side's whole answer, its changed part marked in a colour of its own.
            var row = page.Locator("li.compare-step[data-step='4'][data-equal='false'] tr.diff-row[data-path='$.answer']");
            await Expect(row.Locator("td.diff-a")).ToHaveTextAsync($"\"{answerA}\"");
            await Expect(row.Locator("td.diff-b")).ToHaveTextAsync($"\"{answerB}\"");
            var marks = await row.Locator("mark.diff-changed").EvaluateAllAsync<string[]>(
                "marks => marks.map(mark => mark.textContent.length > 0 ? getComputedStyle(mark).backgroundColor : 'empty')");
            Assert.Equal(2, marks.Length);
            Assert.DoesNotContain("empty", marks);
            Assert.DoesNotContain("rgba(0, 0, 0, 0)", marks);
            Assert.NotEqual(marks[0], marks[1]);

            foreach (var width in new[] { 1280, 800 })
            {
                await AssertFitsTheWindowAsync(page, width, $"compare-page-{width}");
            }
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Replays_a_completed_run_from_its_page_and_compares_it_identical_with_the_original()
    {
        var original = await viewer.StartRunAsync(new { question = "How are tool results cached?", stepDelayMs = 0 });
        await viewer.WaitForRunAsync(original, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");

        var page = await viewer.OpenAsync($"/runs/{original}");
        try
        {
            await Expect(page.Locator("#replay-run")).ToBeEnabledAsync();
            await page.Locator("#replay-run").ClickAsync();
            try
            {
                await Assertions.Expect(page).ToHaveURLAsync(new Regex("/runs/(?!" + Regex.Escape(original) + "$)[A-Za-z0-9_-]+$"));
            }
            catch (PlaywrightException)
            {
                Assert.Fail($"The replay did not open; the page says: {await page.Locator("main").InnerTextAsync()}");
            }

            var replay = new Uri(page.Url).Segments[^1];
            await Expect(page.Locator("h1 .badge")).ToHaveAttributeAsync("data-status", RunStatus.Complete, new() { Timeout = 30_000 });
            await Expect(page.Locator("#replay-of a").First).ToHaveTextAsync(original);
            await page.Locator("#compare-with-original").ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/runs/{Regex.Escape(original)}/compare/{Regex.Escape(replay)}$"));
            await Expect(page.Locator("#compare-outcome")).ToHaveAttributeAsync("data-outcome", ReplayOutcomes.Identical);
            Assert.Equal(0, await page.Locator("li.compare-step[data-equal='false']").CountAsync());
            Assert.Equal(4, await page.Locator("li.compare-step[data-equal='true']").CountAsync());
            await AssertFitsTheWindowAsync(page, 1280, "compare-page-identical-replay");
        }
        finally
        {
            await page.CloseAsync();
        }

        // The run list tags the replay.
        var list = await viewer.OpenAsync("/");
        try
        {
            await Expect(list.Locator("tr.run-row .tag-replay").First).ToBeVisibleAsync();
        }
        finally
        {
            await list.CloseAsync();
        }
    }

    private async Task<string> AnswerAsync(string runId, CancellationToken cancellation)
    {
        using var details = JsonDocument.Parse(await viewer.Api.GetStringAsync($"/runs/{runId}", cancellation));
        return details.RootElement.GetProperty("steps")[3].GetProperty("result").GetProperty("answer").GetString()!;
    }
}
