using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AgentAspire.LocalValkey;

namespace AgentAspire.App.Tests;

/// <summary>
/// <c>eng/run.sh</c> started as people start it, on the AppHost the test build made, with a local valkey-server in a
/// data folder of its own, random ports and an environment marker that tells its processes apart from any other.
/// </summary>
internal sealed class RunScript : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _output = new();

    private RunScript(Process process, string marker, string dataDirectory)
    {
        Process = process;
        Marker = marker;
        DataDirectory = dataDirectory;
    }

    public Process Process { get; }

    /// <summary>The value of <c>AGENTASPIRE_RUN_TEST</c> in the environment of every process the script starts.</summary>
    public string Marker { get; }

    /// <summary>Valkey's data folder (<c>Valkey:DataDirectory</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>What the script and the AppHost printed so far, standard output and error interleaved.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static RunScript Start()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("agentaspire-run-test-").FullName;
        var marker = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                Path.Combine(TestMachine.RepositoryRoot(), "eng", "run.sh"), "--no-build", "--",
                "--Valkey:Mode=local", $"--Valkey:DataDirectory={dataDirectory}", "--DcpPublisher:RandomizePorts=true",
                $"--ASPNETCORE_URLS=http://127.0.0.1:{LoopbackPorts.Free()}",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LoopbackPorts.Free()}",
                $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{LoopbackPorts.Free()}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["AGENTASPIRE_RUN_TEST"] = marker },
        };
        var script = new RunScript(Process.Start(start)!, marker, dataDirectory);
        script.Process.OutputDataReceived += (_, line) => script._output.Enqueue(line.Data ?? "");
        script.Process.ErrorDataReceived += (_, line) => script._output.Enqueue(line.Data ?? "");
        script.Process.BeginOutputReadLine();
        script.Process.BeginErrorReadLine();
        return script;
    }

    /// <summary>Waits until the output holds a line that <paramref name="printed"/> accepts, or the script ends.</summary>
    public async Task WaitForAsync(Func<IReadOnlyCollection<string>, bool> printed, TimeSpan timeout, string what)
    {
        await Poll.UntilAsync(() => Task.FromResult(Process.HasExited || printed(Output)), timeout, what);
        Assert.False(Process.HasExited, "eng/run.sh ended early:\n" + string.Join('\n', Output));
    }

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>KILL</c>…) to one process, by id.</summary>
    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGTERM to the script, as <c>kill PID</c> sends it, which stops everything it started; then the data folder goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Signal(Process.Id, "TERM");
        }

        try
        {
            await Process.WaitForExitAsync(CancellationToken.None).WaitAsync(StopTimeout, CancellationToken.None);
        }
        finally
        {
            Process.Dispose();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The folder is in the temp directory.
            }
        }
    }
}
