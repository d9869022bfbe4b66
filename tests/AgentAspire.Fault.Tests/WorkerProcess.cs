using System.Diagnostics;

namespace AgentAspire.Fault.Tests;

/// <summary>A real AgentWorker process (the built <c>AgentAspire.AgentWorker.dll</c>), its output in a file.</summary>
internal sealed class WorkerProcess : IDisposable
{
    /// <summary>What the worker logs when a fault of Valkey ends an attempt; it then claims the run again.</summary>
    public const string AttemptInterrupted = "the attempt ends and the run is claimed again once Valkey answers";

    /// <summary>What the worker logs when it learns that another worker took its run over.</summary>
    public const string LeaseLost = "lease lost to another worker; stopping without writing";

    /// <summary>What the worker logs when Valkey does not answer its queue loop; it tries again after the poll interval.</summary>
    public const string ValkeyAway = "Valkey does not answer";

    private readonly Process _process;

    private WorkerProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(string name, string logDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var logPath = Path.Combine(logDirectory, name + ".log");
        // exec: the shell becomes the worker, so the pid is the worker's and a signal reaches it directly.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec \"$0\" \"$1\" >>\"$2\" 2>&1", DotNetHost(), WorkerAssembly(), logPath },
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(WorkerAssembly())!,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["Worker__Name"] = name;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the worker.");
        return new WorkerProcess(name, process, logPath);
    }

    /// <summary>SIGKILL: the worker dies between any two instructions, leases and pending entries left behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, Signals.Kill);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public void Pause() => Signals.Send(_process.Id, Signals.Stop);

    public void Resume() => Signals.Send(_process.Id, Signals.Continue);

    public string ReadLog() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>How many lines of <paramref name="log"/> contain <paramref name="text"/>.</summary>
    public static int Count(string log, string text) =>
        log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, Signals.Continue);
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static string DotNetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string WorkerAssembly()
    {
        // Lets the tier run against another build of the worker, e.g. an older one to see a test fail without a fix.
        if (Environment.GetEnvironmentVariable("FAULT_WORKER_DLL") is { Length: > 0 } configured)
        {
            return configured;
        }

        // The test's output is tests/AgentAspire.Fault.Tests/bin/CONFIG/TFM; the worker's is AgentWorker/bin/CONFIG/TFM.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "AgentWorker", "bin", configuration, framework, "AgentAspire.AgentWorker.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("AgentAspire.AgentWorker.dll is not built; build the solution first.");
    }
}
