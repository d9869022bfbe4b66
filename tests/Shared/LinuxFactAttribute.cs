using System.Runtime.CompilerServices;

namespace AgentAspire.Tests;

/// <summary>A test that sends POSIX signals, reads /proc or runs /bin/sh: skipped, with the reason, off Linux.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: it uses POSIX signals, /proc or /bin/sh.";
        }
    }
}
