using System.Globalization;
using System.Text.Json;
using AgentAspire.AgentState;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

/// <summary>The run page of a model loop: question and answer first, tokens equal to the model calls', a bar per turn, no sideways scroll.</summary>
public sealed partial class LogViewerBrowserTests
{
    [Fact]
    public async Task Run_page_of_a_model_loop_leads_with_question_and_answer_and_draws_every_turn()
    {
        const string question = "How does a run resume after a crash?";
        var cancellation = TestContext.Current.CancellationToken;
        var runId = await viewer.StartRunAsync(new { question }, agent: "research-loop");
        await viewer.WaitForRunAsync(runId, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");

        // What the api says: the run's usage, its answer, and the model_call entries its totals are the sums of.
        using var details = JsonDocument.Parse(await viewer.Api.GetStringAsync($"/runs/{runId}", cancellation));
        var run = details.RootElement;
        Assert.Equal(RunStatus.Complete, run.GetProperty("status").GetString());
        var answer = run.GetProperty("steps")[0].GetProperty("result").GetProperty("answer").GetString()!;
        var usage = run.GetProperty("usage");
        var runTokens = usage.GetProperty("inputTokens").GetInt64() + usage.GetProperty("outputTokens").GetInt64();
        using var log = JsonDocument.Parse(await viewer.Api.GetStringAsync($"/runs/{runId}/log?count=1000", cancellation));
        var modelCalls = log.RootElement.GetProperty("entries").EnumerateArray()
            .Where(entry => entry.GetProperty("action").GetString() == "model_call")
            .Select(entry => entry.GetProperty("details"))
            .ToList();
        var loggedTokens = modelCalls.Sum(call => call.GetProperty("inputTokens").GetInt64() + call.GetProperty("outputTokens").GetInt64());
        Assert.Equal(4, modelCalls.Count);
        Assert.True(runTokens > 0, "the offline model reports usage");
        Assert.Equal(loggedTokens, runTokens);

        var page = await viewer.OpenAsync($"/runs/{runId}");
        try
        {
            // Question and answer lead the page, above the steps.
            await Expect(page.Locator(".headline .question")).ToHaveTextAsync(question);
            await Expect(page.Locator(".headline .answer")).ToHaveTextAsync(answer);
            Assert.True(await page.EvaluateAsync<bool>(
                "() => document.querySelector('.headline').getBoundingClientRect().top < document.querySelector('ol.timeline').getBoundingClientRect().top"));

            // Tokens of the run and of its one step, as the model_call entries add up.
            var tokens = loggedTokens.ToString(CultureInfo.InvariantCulture);
            await Expect(page.Locator("#run-tokens")).ToHaveAttributeAsync("data-tokens", tokens);
            await Expect(page.Locator("li.step[data-step='1'] .step-usage")).ToHaveAttributeAsync("data-tokens", tokens);

            // The waterfall: the step, a bar for each of the four turns with its tokens, and the tool calls between them.
            var turns = page.Locator(".waterfall .wf-row[data-kind='model']");
            await Expect(turns).ToHaveCountAsync(4);
            await Expect(page.Locator(".waterfall .wf-row[data-kind='model'] .wf-bar")).ToHaveCountAsync(4);
            var turnTokens = await turns.EvaluateAllAsync<long[]>("rows => rows.map(row => Number(row.dataset.tokens))");
            Assert.Equal(loggedTokens, turnTokens.Sum());
            Assert.Equal(3, await page.Locator(".waterfall .wf-row[data-kind='tool']").CountAsync());
            Assert.Equal(1, await page.Locator(".waterfall .wf-row[data-kind='step']").CountAsync());

            // Each activity row reads as a line; the JSON opens with a click.
            var modelRow = page.Locator("tr.log-entry[data-action='model_call']").First;
            await Expect(modelRow.Locator("td.details summary")).ToContainTextAsync(" tok (");
            await modelRow.Locator("td.details summary").ClickAsync();
            await Expect(modelRow.Locator("td.details details > code")).ToContainTextAsync("\"inputTokens\"");

            // The page fits the window: no sideways scroll at a laptop's width, nor at a narrow one.
            foreach (var width in new[] { 1280, 800 })
            {
                await AssertFitsTheWindowAsync(page, width, $"model-loop-run-page-{width}");
            }
        }
        finally
        {
            await page.CloseAsync();
        }

        // The run list shows the run's tokens in its usage column, and fits a narrow window too.
        var list = await viewer.OpenAsync("/");
        try
        {
            var row = list.Locator($"tr.run-row[data-run-id='{runId}']");
            await Expect(row.Locator("td.run-usage")).ToHaveAttributeAsync("data-tokens", loggedTokens.ToString(CultureInfo.InvariantCulture));
            await AssertFitsTheWindowAsync(list, 800, "run-list-800");
        }
        finally
        {
            await list.CloseAsync();
        }
    }

    // document.scrollWidth no wider than the window: nothing scrolls sideways. Keeps a screenshot either way.
    private static async Task AssertFitsTheWindowAsync(IPage page, int width, string name)
    {
        await page.SetViewportSizeAsync(width, 900);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", $"{name}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Report($"{name} (scrollWidth {widths[0]}, innerWidth {widths[1]}): {screenshot}");
        Assert.True(widths[0] <= widths[1], $"At {width}px the page is {widths[0]}px wide, wider than the window's {widths[1]}px");
    }
}
