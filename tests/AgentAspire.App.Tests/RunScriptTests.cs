using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace AgentAspire.App.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunScriptCollection
{
    public const string Name = "eng/run.sh";
}

/// <summary>
/// <c>eng/run.sh</c> as people, <c>timeout</c> and CI use it: a stop signal sent to the script's own process stops the
/// AppHost, the services and valkey-server. Other valkey-servers on the machine are told apart from the app's own by
/// the process tree, an environment marker and the data folder, never by name alone.
/// </summary>
[Collection(RunScriptCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class RunScriptTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [LinuxFact]
    public async Task Sigterm_to_the_run_script_stops_the_apphost_the_services_and_valkey_server_within_30_seconds()
    {
        // Arrange: the real script, on the AppHost the test build made, with a data folder and ports of its own.
        var run = RunScript.Start();
        var (script, marker, dataDirectory) = (run.Process, run.Marker, run.DataDirectory);

        var before = new List<AppProcess>();
        try
        {
            await run.WaitForAsync(output => output.Any(l => l.Contains("api is ready at")) && output.Any(l => l.Contains("logviewer is ready at")),
                StartTimeout, "the api and the logviewer are ready");
            before = AppProcesses(script.Id, marker, dataDirectory);
            Report("running: " + string.Join(", ", before));
            Assert.Contains(before, p => p.Name == "valkey-server");
            Assert.Contains(before, p => p.CommandLine.Contains("AgentAspire.AgentApi", StringComparison.Ordinal));

            // Act: SIGTERM to the script's own process only, as `kill PID` and `timeout` send it.
            var clock = Stopwatch.StartNew();
            RunScript.Signal(script.Id, "TERM");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            stop.CancelAfter(StopTimeout);
            while (!stop.IsCancellationRequested && (before.Any(p => p.IsAlive) || AppProcesses(script.Id, marker, dataDirectory).Count > 0))
            {
                await Task.Delay(200, CancellationToken.None);
            }

            // Assert
            var left = before.Where(p => p.IsAlive).Union(AppProcesses(script.Id, marker, dataDirectory)).ToList();
            Report($"stopped in {clock.Elapsed.TotalSeconds:F1} s; left: {string.Join(", ", left)}");
            Assert.Empty(left);
        }
        finally
        {
            // Whatever a failed run left behind: only this test's processes, by id.
            foreach (var process in before.Union(AppProcesses(script.Id, marker, dataDirectory)).Where(p => p.IsAlive))
            {
                RunScript.Signal(process.Id, "KILL");
            }

            await run.DisposeAsync();
        }
    }

    /// <summary>The script and every process under it, any process carrying the marker, and a valkey-server in the data folder.</summary>
    private static List<AppProcess> AppProcesses(int scriptId, string marker, string dataDirectory)
    {
        var all = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, CultureInfo.InvariantCulture, out var id) ? AppProcess.Read(id) : null)
            .OfType<AppProcess>()
            .Where(p => p.IsAlive)
            .ToList();

        var tree = new HashSet<int> { scriptId };
        for (var grown = true; grown;)
        {
            grown = false;
            foreach (var process in all.Where(p => tree.Contains(p.ParentId) && !tree.Contains(p.Id)))
            {
                grown = tree.Add(process.Id);
            }
        }

        return all.Where(p => tree.Contains(p.Id) || p.HasMarker(marker) || (p.Name == "valkey-server" && p.WorksIn(dataDirectory))).ToList();
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>One process as /proc shows it.</summary>
    private sealed record AppProcess(int Id, int ParentId, string Name, string StartTime)
    {
        public static AppProcess? Read(int id)
        {
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText($"/proc/{id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                return fields[0] == "Z" ? null : new AppProcess(id, int.Parse(fields[1], CultureInfo.InvariantCulture), name, fields[19]);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                return null;
            }
        }

        /// <summary>Still running, and still the same process (a reused id has another start time).</summary>
        public bool IsAlive => Read(Id) is { } now && now.StartTime == StartTime;

        public string CommandLine => ReadOr($"/proc/{Id}/cmdline", "").Replace('\0', ' ');

        public bool HasMarker(string marker)
        {
            try
            {
                return File.ReadAllText($"/proc/{Id}/environ").Contains($"AGENTASPIRE_RUN_TEST={marker}", StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        public bool WorksIn(string directory)
        {
            try
            {
                return new FileInfo($"/proc/{Id}/cwd").LinkTarget?.StartsWith(directory, StringComparison.Ordinal) == true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        public override string ToString() => $"{Name} ({Id})";

        private static string ReadOr(string path, string fallback)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return fallback;
            }
        }
    }
}
