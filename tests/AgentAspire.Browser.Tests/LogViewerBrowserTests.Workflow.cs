using System.Text.RegularExpressions;
using AgentAspire.AgentState;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

// An Agent Framework workflow run is started, watched and read on the pages like any other run.
public sealed partial class LogViewerBrowserTests
{
    [Fact]
    public async Task Starts_an_Agent_Framework_workflow_run_from_the_form_and_shows_it_like_any_run()
    {
        var page = await viewer.OpenAsync("/start");

        // Each agent offers its own example input, as GET /agents declares it.
        await Expect(page.Locator("#input")).ToHaveValueAsync(new Regex("How does a run resume after a crash\\?"));
        await page.Locator("#agent").SelectOptionAsync("research-workflow");
        await Expect(page.Locator("#input")).ToHaveValueAsync(new Regex("How does a workflow resume from its checkpoint\\?"));
        await page.Locator("#input").FillAsync("""{ "question": "How does a workflow resume from its checkpoint?", "stepDelayMs": 300 }""");
        await Expect(page.Locator("#start-run")).ToBeEnabledAsync();
        await page.Locator("#start-run").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/runs/[A-Za-z0-9_-]+$"));
        await page.WaitForSelectorAsync(".circuit[data-interactive='true']", new() { State = WaitForSelectorState.Attached });
        var runId = new Uri(page.Url).Segments[^1];

        // Supersteps appear as steps while the run goes on, and the output step ends it.
        await Expect(page.Locator("h1 .badge")).ToHaveAttributeAsync("data-status", RunStatus.Complete, new() { Timeout = 60_000 });
        var run = (await viewer.Store.GetAsync(runId))!;
        Assert.Equal("research-workflow", run.Agent);
        await Expect(page.Locator("li.step.step-done")).ToHaveCountAsync(run.Steps.Count, new() { Timeout = 30_000 });
        await Expect(page.Locator("li.step.step-done .step-name").Last).ToHaveTextAsync("output");
        Assert.Equal(run.Steps.Select(step => step.Name), await page.Locator("li.step.step-done .step-name").AllInnerTextsAsync());
        Assert.True(await page.Locator("tr.log-entry[data-action='tool_call']").CountAsync() > 0);
        await page.CloseAsync();
    }
}
