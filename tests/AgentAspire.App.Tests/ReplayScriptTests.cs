using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AgentAspire.App.Tests;

/// <summary>
/// <c>eng/replay.sh</c> as a deployment gate against the running app: it replays the runs a filter matches and exits
/// 0 only when every replay is identical, 1 when one is not, 2 when the api refuses it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReplayScriptTests(AppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Replaying_unchanged_research_runs_exits_0_with_every_replay_identical()
    {
        // Arrange: two research runs, ended; the filter's time window holds exactly them.
        var runs = new[]
        {
            await fixture.StartRunAsync(new { question = "Does a replay of an unchanged run match it?" }),
            await fixture.StartRunAsync(new { question = "Does a second replay match as well?" }),
        };
        var window = await WindowOfAsync(runs, "complete");

        // Act
        var (exitCode, output) = await ReplayAsync(fixture.ApiKey, ["--agent", "research", .. window, "--interval", "1"]);

        // Assert
        Assert.True(exitCode == 0, $"exit {exitCode}:\n{output}");
        Assert.Contains("all 2 replays identical", output, StringComparison.Ordinal);
        Assert.Contains("2/2 ended: 2 identical", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_that_is_not_identical_exits_1_and_prints_its_compare_link()
    {
        // Arrange: a run whose search step fails every try; its replay runs the same code and fails the same way.
        var runId = await fixture.StartRunAsync(new { question = "Does a failing run replay as identical?", failSearchAttempts = 100 });
        var window = await WindowOfAsync([runId], "failed");

        // Act
        var (exitCode, output) = await ReplayAsync(fixture.ApiKey, ["--status", "failed", .. window, "--interval", "1"]);

        // Assert
        Assert.True(exitCode == 1, $"exit {exitCode}:\n{output}");
        Assert.Contains($"failed    {runId} -> ", output, StringComparison.Ordinal);
        Assert.Contains($"{fixture.Api.BaseAddress!.ToString().TrimEnd('/')}/runs/{runId}/compare/run_", output, StringComparison.Ordinal);
        Assert.Contains("not every replay is identical", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_exits_0_saying_so()
    {
        var (exitCode, output) = await ReplayAsync(fixture.ApiKey, ["--since", DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture)]);

        Assert.True(exitCode == 0, $"exit {exitCode}:\n{output}");
        Assert.Contains("nothing to replay", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_or_a_refused_filter_exits_2_with_the_problem_detail()
    {
        var (wrongKey, wrongKeyOutput) = await ReplayAsync("not-the-key", []);
        var (badLimit, badLimitOutput) = await ReplayAsync(fixture.ApiKey, ["--limit", "51"]);

        Assert.True(wrongKey == 2, $"exit {wrongKey}:\n{wrongKeyOutput}");
        Assert.Contains("answered 401", wrongKeyOutput, StringComparison.Ordinal);
        Assert.True(badLimit == 2, $"exit {badLimit}:\n{badLimitOutput}");
        Assert.Contains("'limit' must be between 1 and 50, got 51.", badLimitOutput, StringComparison.Ordinal);
    }

    // Waits until the runs reach the status, then returns --since and --until around their creation times: the tests of
    // the collection run one at a time, so no other test's run was created inside that window.
    private async Task<string[]> WindowOfAsync(IReadOnlyList<string> runIds, string status)
    {
        var created = new List<DateTimeOffset>();
        foreach (var runId in runIds)
        {
            var run = await fixture.WaitForStatusAsync(runId, RunTimeout, status);
            Assert.Equal(status, run.GetProperty("status").GetString());
            created.Add(run.GetProperty("createdAt").GetDateTimeOffset());
        }

        return ["--since", created.Min().ToString("O", CultureInfo.InvariantCulture), "--until", created.Max().AddMilliseconds(1).ToString("O", CultureInfo.InvariantCulture)];
    }

    private async Task<(int ExitCode, string Output)> ReplayAsync(string key, string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestMachine.RepositoryRoot(), "eng", "replay.sh"), "--url", fixture.Api.BaseAddress!.ToString(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["AGENTASPIRE_API_KEY"] = key },
        };
        using var script = Process.Start(start)!;
        var output = new StringBuilder();
        script.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        script.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            await script.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
            throw new TimeoutException($"eng/replay.sh did not end within {ScriptTimeout}:\n{output}");
        }

        script.WaitForExit();
        TestContext.Current.TestOutputHelper?.WriteLine($"eng/replay.sh {string.Join(' ', arguments)}: exit {script.ExitCode}\n{output}");
        lock (output)
        {
            return (script.ExitCode, output.ToString());
        }
    }
}
