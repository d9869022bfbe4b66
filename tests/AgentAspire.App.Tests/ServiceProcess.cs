using AgentAspire.LocalValkey;
using System.Diagnostics;

namespace AgentAspire.App.Tests;

/// <summary>
/// A built service (<c>AgentApi</c> or <c>LogViewer</c>) run as a process of its own, outside the AppHost, with only
/// the configuration the test gives it: how it starts (or refuses to) on a machine that configured nothing else.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _logPath;

    private ServiceProcess(Process process, string logPath, Uri url)
    {
        _process = process;
        _logPath = logPath;
        Url = url;
    }

    /// <summary>Where the service listens.</summary>
    public Uri Url { get; }

    /// <summary>Starts <paramref name="project"/> (its folder name: <c>AgentApi</c>, <c>LogViewer</c>) in Production unless told otherwise.</summary>
    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> settings)
    {
        var assembly = BuiltAssembly(project);
        var logPath = Path.Combine(Path.GetTempPath(), $"agentaspire-{project.ToLowerInvariant()}-{Guid.NewGuid():N}.log");
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        // exec: the shell becomes the service, so killing the process kills the service.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec dotnet \"$0\" >\"$1\" 2>&1", assembly, logPath },
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        // Nothing of the test's own environment that the service would read as its configuration.
        foreach (var name in start.Environment.Keys.Where(IsServiceSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url.ToString();
        start.Environment["OTEL_SDK_DISABLED"] = "true";
        // No Valkey is needed to start, sign in or refuse; nothing listens on this port.
        start.Environment["ConnectionStrings__valkey"] = $"127.0.0.1:{LoopbackPorts.Free()},abortConnect=false,connectTimeout=500";
        start.Environment["services__api__http__0"] = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}.");
        return new ServiceProcess(process, logPath, url);
    }

    /// <summary>Everything the service wrote to its console so far.</summary>
    public string ReadLog() => File.Exists(_logPath) ? File.ReadAllText(_logPath) : "";

    /// <summary>Waits until the service has exited and returns its exit code; fails if it is still running after the start timeout.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The service still runs after {StartTimeout.TotalSeconds} s. Its log:\n{ReadLog()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until <paramref name="path"/> answers <paramref name="client"/> with a success status.</summary>
    public Task WaitUntilAnswersAsync(HttpClient client, string path) =>
        Poll.UntilAsync(async () =>
            {
                Assert.False(_process.HasExited, "The service stopped. Its log:\n" + ReadLog());
                using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
                return response.IsSuccessStatusCode;
            },
            StartTimeout, $"{path} to answer", () => "Its log:\n" + ReadLog(),
            retryOn: ex => ex is HttpRequestException); // not listening yet

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        File.Delete(_logPath);
    }

    private static bool IsServiceSetting(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
        || name.StartsWith("AgentApi__", StringComparison.Ordinal) || name.StartsWith("LogViewer__", StringComparison.Ordinal)
        || name.StartsWith("OTEL_", StringComparison.Ordinal) || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        || name.StartsWith("services__", StringComparison.Ordinal) || name == "AllowedHosts";

    // The test's output is tests/AgentAspire.App.Tests/bin/CONFIG/TFM; the service's is PROJECT/bin/CONFIG/TFM.
    private static string BuiltAssembly(string project)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var assembly = Path.Combine(TestMachine.RepositoryRoot(), project, "bin", output.Parent!.Name, output.Name, $"AgentAspire.{project}.dll");
        return File.Exists(assembly) ? assembly : throw new InvalidOperationException($"{assembly} is not built; build the solution first.");
    }
}
