using System.Diagnostics;
using AgentAspire.LocalValkey;
using Microsoft.Extensions.Configuration;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Tells whether a container runtime engine answers, not merely whether its command-line tool is installed.
/// </summary>
internal static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static bool IsAvailable(IConfiguration configuration)
    {
        // Honour the runtime Aspire itself is told to use; otherwise try the two it supports.
        var configured = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DcpPublisher:ContainerRuntime"];
        string[] runtimes = string.IsNullOrWhiteSpace(configured) ? ["docker", "podman"] : [configured];
        return runtimes.Any(Answers);
    }

    private static bool Answers(string runtime)
    {
        if (ValkeyExecutables.FindOnPath(runtime) is not { } path)
        {
            return false;
        }

        var startInfo = new ProcessStartInfo(path, "info")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return false;
            }

            // Drain both pipes so a chatty runtime cannot block on a full buffer.
            process.OutputDataReceived += static (_, _) => { };
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
