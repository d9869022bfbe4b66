using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AgentAspire.AgentState;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

/// <summary>The LogViewer in Chromium against the whole app: every change goes through the page and the api.</summary>
public sealed partial class LogViewerBrowserTests(ViewerApp viewer) : IClassFixture<ViewerApp>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Starts_a_run_from_the_form_and_shows_its_steps_as_they_commit()
    {
        var page = await viewer.OpenAsync("/start");

        await page.Locator("#agent").SelectOptionAsync("research");
        await page.Locator("#input").FillAsync("""{ "question": "How does a run resume after a crash?", "stepDelayMs": 1000 }""");
        await Expect(page.Locator("#start-run")).ToBeEnabledAsync();
        await page.Locator("#start-run").ClickAsync();

        // Blazor navigates inside the page (no load event): poll the address, and say why when the start was refused.
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/runs/[A-Za-z0-9_-]+$"));
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"The form did not open the new run; the page says: {await page.Locator("main").InnerTextAsync()}");
        }

        await page.WaitForSelectorAsync(".circuit[data-interactive='true']", new() { State = WaitForSelectorState.Attached });
        // Steps appear one by one while the run goes on: the first is done before the last (three 1 s steps later, a
        // margin a loaded machine's page refresh stays well within).
        await Expect(page.Locator("li.step[data-step='1'].step-done")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Equal(0, await page.Locator("li.step[data-step='4'].step-done").CountAsync());
        await Expect(page.Locator("li.step.step-done")).ToHaveCountAsync(4, new() { Timeout = 30_000 });
        await Expect(page.Locator("h1 .badge")).ToHaveAttributeAsync("data-status", RunStatus.Complete);
        Assert.True(await page.Locator("tr.log-entry[data-action='tool_call']").CountAsync() > 0);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "run-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Report($"Run page screenshot: {screenshot}");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Approves_a_waiting_run_with_a_comment()
    {
        var runId = await viewer.StartRunAsync(new { question = "What is a fence token?", requireApproval = true });
        await viewer.WaitForRunAsync(runId, run => run.Status == RunStatus.Waiting, RunTimeout, "waits for approval");
        var page = await viewer.OpenAsync($"/runs/{runId}");

        await Expect(page.Locator(".approval-prompt")).ToContainTextAsync("What is a fence token?");
        await page.Locator("#approval-comment").FillAsync("Looks right");
        await page.Locator("button.btn-approve").ClickAsync();

        await Expect(page.Locator("h1 .badge")).ToHaveAttributeAsync("data-status", RunStatus.Complete, new() { Timeout = 30_000 });
        await Expect(page.Locator(".decisions .badge")).ToHaveTextAsync("approved");
        await Expect(page.Locator(".decision-comment")).ToHaveTextAsync("Looks right");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Cancels_a_running_run()
    {
        var runId = await viewer.StartRunAsync(new { question = "How are tool results cached?", stepDelayMs = 20_000 });
        var page = await viewer.OpenAsync($"/runs/{runId}");

        await Expect(page.Locator("#cancel-run")).ToBeEnabledAsync();
        await page.Locator("#cancel-run").ClickAsync();

        await Expect(page.Locator("h1 .badge")).ToHaveAttributeAsync("data-status", RunStatus.Cancelled, new() { Timeout = 30_000 });
        await Expect(page.Locator("#resume-run")).ToBeEnabledAsync();
        Assert.Equal(RunStatus.Cancelled, (await viewer.Store.GetAsync(runId))!.Status);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Shows_markup_in_a_runs_input_as_text()
    {
        const string question = """<script>window.__xss=1</script> and <img src=x onerror="window.__xss=2">""";
        var runId = await viewer.StartRunAsync(new { question });
        await viewer.WaitForRunAsync(runId, run => RunStatus.IsFinal(run.Status), RunTimeout, "ends");

        foreach (var path in new[] { $"/runs/{runId}", "/", "/live" })
        {
            var page = await viewer.OpenAsync(path);
            if (path != "/live")
            {
                await Expect(page.Locator("body")).ToContainTextAsync(runId);
            }

            if (path == "/")
            {
                await Expect(page.Locator($"tr.run-row[data-run-id='{runId}'] td.run-input")).ToHaveTextAsync(question);
            }

            if (path.StartsWith("/runs/", StringComparison.Ordinal))
            {
                await page.Locator("details.input > summary").ClickAsync();
                await Expect(page.Locator("details.input")).ToContainTextAsync(question);
                Assert.Equal(0, await page.Locator("main img").CountAsync());
                Assert.Equal(0, await page.Locator("main script").CountAsync());
            }

            Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__xss"));
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Measures_how_long_a_committed_log_entry_takes_to_reach_the_open_run_page()
    {
        // A run that waits for approval stays put, so only the probes move its log.
        var runId = await viewer.StartRunAsync(new { question = "How fast is the live log?", requireApproval = true });
        await viewer.WaitForRunAsync(runId, run => run.Status == RunStatus.Waiting, RunTimeout, "waits for approval");
        var page = await viewer.OpenAsync($"/runs/{runId}");
        await Expect(page.Locator("tr.log-entry").First).ToBeVisibleAsync();

        var samples = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var id = await viewer.Log.AppendAsync(runId, "latency_probe", $$"""{"sample":{{i}}}""");
            Assert.NotNull(id);
            await page.WaitForSelectorAsync($"tr.log-entry[data-entry-id='{id}']", new() { State = WaitForSelectorState.Attached });
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        Report(string.Create(CultureInfo.InvariantCulture,
            $"Log entry to open run page over {samples.Count} samples: p50 {Percentile(samples, 0.50):0.0} ms, p95 {Percentile(samples, 0.95):0.0} ms, max {samples[^1]:0.0} ms"));
        await page.CloseAsync();
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
    }
}
