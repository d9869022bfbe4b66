using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentAspire.App.Tests;

/// <summary>
/// Every <c>curl</c> of README.md and docs/*.md, pasted as it stands against <c>eng/run.sh</c>: the commands of a
/// page run in order in one bash, the way a reader pastes them into one terminal, and each one must succeed.
/// </summary>
[Collection(RunScriptCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed partial class DocsCurlTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan PageTimeout = TimeSpan.FromMinutes(1);

    [LinuxFact]
    public async Task Every_curl_of_the_docs_succeeds_when_pasted_with_the_key_the_app_prints()
    {
        // Arrange: the app as eng/run.sh starts it, and the curl it prints once the api is ready.
        var pages = DocPages();
        Assert.Contains(pages, page => page.Name == "README.md");
        await using var run = RunScript.Start();
        Match printed = Match.Empty;
        await run.WaitForAsync(output => (printed = output.Select(line => PrintedCurl().Match(line)).FirstOrDefault(match => match.Success) ?? Match.Empty).Success,
            StartTimeout, "the api's curl with its key");
        var (api, key) = (new Uri(printed.Groups["url"].Value), printed.Groups["key"].Value);
        Report($"printed: {printed.Value}");

        // Act: the printed curl, then each page's blocks in one bash; localhost:5180 is the api's port when run.sh picks it.
        var results = new List<(string Page, int ExitCode, string Output)>();
        foreach (var (name, script) in pages.Prepend(("(printed by the AppHost)", printed.Groups["curl"].Value)))
        {
            var (exitCode, output) = await BashAsync(script.Replace("localhost:5180", $"localhost:{api.Port}", StringComparison.Ordinal), key);
            results.Add((name, exitCode, output));
        }

        // Assert
        foreach (var (page, exitCode, output) in results)
        {
            Report($"--- {page}: exit {exitCode}\n{output}");
        }

        Assert.All(results, result => Assert.True(result.ExitCode == 0, $"A curl of {result.Page} failed:\n{result.Output}"));
    }

    /// <summary>
    /// The pages with curl blocks, each as one script of its bash and sh blocks that hold a <c>curl</c>, in page order. A
    /// block right after a <c>&lt;!-- docs-curl: needs … --&gt;</c> comment needs more than the stock app and is left out.
    /// </summary>
    private static List<(string Name, string Script)> DocPages()
    {
        var root = TestMachine.RepositoryRoot();
        var files = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal).Prepend(Path.Combine(root, "README.md"));
        var pages = new List<(string, string)>();
        foreach (var file in files)
        {
            var blocks = CodeBlock().Matches(File.ReadAllText(file))
                .Where(block => block.Groups["code"].Value.Contains("curl ", StringComparison.Ordinal) && !block.Groups["needs"].Success)
                .Select(block => block.Groups["code"].Value)
                .ToList();
            if (blocks.Count > 0)
            {
                pages.Add((Path.GetRelativePath(root, file), string.Join('\n', blocks)));
            }
        }

        return pages;
    }

    // Every curl fails on an HTTP error status, and so does the pipe it stands in; the first failure ends the page.
    private static async Task<(int ExitCode, string Output)> BashAsync(string script, string key)
    {
        const string prelude = "set -euo pipefail\ncurl() { command curl --fail-with-body --silent --show-error --max-time 30 \"$@\"; }\n";
        var start = new ProcessStartInfo("bash", ["-c", prelude + script])
        {
            WorkingDirectory = TestMachine.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["KEY"] = key, ["DOTNET_NOLOGO"] = "1" },
        };
        using var bash = Process.Start(start)!;
        var output = new StringBuilder();
        bash.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        bash.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        bash.BeginOutputReadLine();
        bash.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(PageTimeout);
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"The page's commands did not finish within {PageTimeout}:\n{output}");
        }

        bash.WaitForExit();
        lock (output)
        {
            return (bash.ExitCode, output.ToString());
        }
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [GeneratedRegex(@"(?<needs><!-- docs-curl: needs [^>]*-->\s*\n)?^```(?:bash|sh)\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"(?<curl>curl -s (?<url>http://[^/\s]+)/agents -H ""X-Api-Key: (?<key>[A-Za-z0-9]+)"")")]
    private static partial Regex PrintedCurl();
}
