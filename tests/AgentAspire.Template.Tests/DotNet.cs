using System.Diagnostics;

namespace AgentAspire.Template.Tests;

/// <summary>Runs the dotnet CLI as a child process and returns its exit code and output.</summary>
public static class DotNet
{
    public static Task<DotNetResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunAsync(workingDirectory, timeout, new Dictionary<string, string>(), arguments);

    /// <summary>Runs dotnet with <paramref name="environment"/> added to the test host's own environment.</summary>
    public static async Task<DotNetResult> RunAsync(string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // The output goes to a file, not a pipe: a compiler server started by the build inherits it and outlives the
        // build, and a pipe would then never reach its end.
        var log = Path.Combine(Path.GetTempPath(), $"agent-aspire-dotnet-{Guid.NewGuid():N}.log");
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/d", "/s", "/c", $"dotnet {Quote(arguments)} > \"{log}\" 2>&1" } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "log=$1; shift; exec dotnet \"$@\" > \"$log\" 2>&1", "sh", log } };
        start.WorkingDirectory = workingDirectory;
        start.UseShellExecute = false;
        if (!OperatingSystem.IsWindows())
        {
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }

        // No MSBuild nodes or server left behind; the compiler server stays on, it saves most of the build time.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // The test host's own MSBuild settings must not leak into the generated app's build.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        process.Start();

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return new DotNetResult(process.ExitCode, ReadLog(log), clock.Elapsed);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {Quote(arguments)} did not finish within {timeout} or was cancelled:\n{ReadLog(log)}");
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private static string Quote(IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}

/// <summary>The exit code, the merged standard output and error, and the duration of one dotnet command.</summary>
public sealed record DotNetResult(int ExitCode, string Output, TimeSpan Duration);
