namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Finds a program on the <c>PATH</c> the way a shell would.
/// </summary>
internal static class ExecutableSearch
{
    public static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", program] : [program];

        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }
}
