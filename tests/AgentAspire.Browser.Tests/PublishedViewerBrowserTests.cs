using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AgentAspire.LocalValkey;
using Microsoft.Playwright;

namespace AgentAspire.Browser.Tests;

/// <summary>
/// The LogViewer as it is deployed: <c>dotnet publish</c> output, run in Production from its own folder, against the
/// running app. Its page must become interactive, which needs the framework script served by the published app.
/// </summary>
public sealed class PublishedViewerBrowserTests(ViewerApp viewer) : IClassFixture<ViewerApp>
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [LinuxFact]
    public async Task Published_viewer_in_production_becomes_interactive_and_starts_a_run_from_its_form()
    {
        // Arrange: publish, then run the output the way a container does (working directory = the published folder).
        var output = Directory.CreateTempSubdirectory("agentaspire-published-viewer-").FullName;
        var log = Path.Combine(output, "viewer.log");
        try
        {
            var clock = Stopwatch.StartNew();
            var publish = await RunToEndAsync("dotnet", ["publish", Path.Combine(TestMachine.RepositoryRoot(), "LogViewer"), "-c", "Release", "-o", output, "-nologo"], PublishTimeout);
            Assert.True(publish.ExitCode == 0, publish.Output);
            Report($"dotnet publish: {clock.Elapsed.TotalSeconds:F0} s");

            var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
            var start = new ProcessStartInfo("/bin/sh", ["-c", "exec dotnet AgentAspire.LogViewer.dll > viewer.log 2>&1"])
            {
                WorkingDirectory = output,
                UseShellExecute = false,
            };
            foreach (var inherited in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT" })
            {
                start.Environment.Remove(inherited);
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["ASPNETCORE_URLS"] = url.ToString();
            start.Environment["ConnectionStrings__valkey"] = viewer.ValkeyConnectionString;
            start.Environment["services__api__http__0"] = viewer.Api.BaseAddress!.ToString();
            // A test of the published bits, not of the sign-in: no access key to hand out; the api still needs its key.
            start.Environment["LogViewer__AllowAnonymous"] = "true";
            start.Environment["AgentApi__ApiKey"] = viewer.ApiKey;
            using var process = Process.Start(start)!;
            try
            {
                using var http = new HttpClient { BaseAddress = url };
                await WaitUntilAnswersAsync(http, process, log);

                // Act
                using var script = await http.GetAsync("/_framework/blazor.web.js", TestContext.Current.CancellationToken);
                var page = await viewer.Browser.NewPageAsync();
                page.SetDefaultTimeout(30_000);
                await page.GotoAsync(new Uri(url, "/start").ToString());
                await page.WaitForSelectorAsync(".circuit[data-interactive='true']", new() { State = WaitForSelectorState.Attached });
                await page.Locator("#agent").SelectOptionAsync("research");
                await page.Locator("#input").FillAsync("""{ "question": "Does the published viewer start runs?" }""");
                await page.Locator("#start-run").ClickAsync();

                // Assert: only an interactive page handles the click and opens the new run.
                Assert.Equal(HttpStatusCode.OK, script.StatusCode);
                await Assertions.Expect(page).ToHaveURLAsync(new Regex("/runs/[A-Za-z0-9_-]+$"));
                await Assertions.Expect(page.Locator("h1 .badge")).ToBeVisibleAsync();
                await page.CloseAsync();
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static Task WaitUntilAnswersAsync(HttpClient http, Process process, string log) =>
        Poll.UntilAsync(async () =>
            {
                Assert.False(process.HasExited, "The published viewer stopped:\n" + ReadLog(log));
                using var response = await http.GetAsync("/", TestContext.Current.CancellationToken);
                return response.IsSuccessStatusCode;
            },
            StartTimeout, "the published viewer to answer", () => "Its log:\n" + ReadLog(log),
            retryOn: ex => ex is HttpRequestException); // not listening yet

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no output)";

    // The output goes to a file: a compiler server started by the build inherits it and outlives the build.
    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var log = Path.GetTempFileName();
        var start = new ProcessStartInfo("/bin/sh", ["-c", "log=$1; shift; exec \"$@\" > \"$log\" 2>&1", "sh", log, program, .. arguments])
        {
            UseShellExecute = false,
            Environment = { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0", ["DOTNET_NOLOGO"] = "1" },
        };
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return (process.ExitCode, File.ReadAllText(log));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{File.ReadAllText(log)}");
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
