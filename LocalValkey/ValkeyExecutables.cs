namespace AgentAspire.LocalValkey;

/// <summary>
/// Finds the <c>valkey-server</c> and <c>valkey-cli</c> programs: a configured path first, then the <c>PATH</c>.
/// </summary>
public static class ValkeyExecutables
{
    /// <summary>The environment variable that names the <c>valkey-server</c> binary when it is not on the <c>PATH</c>.</summary>
    public const string ServerPathVariable = "VALKEY_SERVER_PATH";

    /// <summary>What to do when a program is missing, said the same way wherever it is missing.</summary>
    public const string InstallHint = "Run eng/setup.sh to install it (valkey-server and valkey-tools from Debian bookworm-backports).";

    /// <summary>
    /// The full path of <c>valkey-server</c>: <paramref name="configuredPath"/> when given (null if it does not exist),
    /// else the first on the <c>PATH</c>; null when there is none.
    /// </summary>
    /// <param name="configuredPath">A path set by configuration; empty or null to search the <c>PATH</c>.</param>
    public static string? FindServer(string? configuredPath)
    {
        if (!string.IsNullOrEmpty(configuredPath))
        {
            return File.Exists(configuredPath) ? Path.GetFullPath(configuredPath) : null;
        }

        return FindOnPath("valkey-server");
    }

    /// <summary>
    /// The <c>valkey-server</c> this process was told to use (<see cref="ServerPathVariable"/>, else the <c>PATH</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">There is none, or the variable names a file that does not exist.</exception>
    public static string RequireServer()
    {
        var configured = Environment.GetEnvironmentVariable(ServerPathVariable);
        return FindServer(configured) ?? throw new InvalidOperationException(string.IsNullOrEmpty(configured)
            ? $"valkey-server is neither on the PATH nor named by {ServerPathVariable}. {InstallHint}"
            : $"{ServerPathVariable} names '{configured}', which does not exist. {InstallHint}");
    }

    /// <summary>The <c>valkey-cli</c> next to <paramref name="serverPath"/>, else the first on the <c>PATH</c>; null when there is none.</summary>
    public static string? FindCli(string serverPath)
    {
        var besideServer = Path.Combine(Path.GetDirectoryName(serverPath) ?? "", OperatingSystem.IsWindows() ? "valkey-cli.exe" : "valkey-cli");
        return File.Exists(besideServer) ? besideServer : FindOnPath("valkey-cli");
    }

    /// <summary>The <c>valkey-cli</c> to use with <paramref name="serverPath"/>.</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public static string RequireCli(string serverPath) =>
        FindCli(serverPath) ?? throw new InvalidOperationException($"valkey-cli is neither next to {serverPath} nor on the PATH. {InstallHint}");

    /// <summary>Finds a program on the <c>PATH</c> the way a shell would; null when it is not there.</summary>
    public static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", program] : [program];

        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }
}
