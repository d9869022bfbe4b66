using System.Runtime.InteropServices;

namespace AgentAspire.Fault.Tests;

/// <summary>POSIX signals to a process of this test run (Linux numbers).</summary>
internal static class Signals
{
    public const int Kill = 9;
    public const int Continue = 18;
    public const int Stop = 19;

    public static void Send(int pid, int signal)
    {
        if (NativeKill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
