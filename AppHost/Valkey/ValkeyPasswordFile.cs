namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// The configuration file that hands a local <c>valkey-server</c> its password, so the password never appears in
/// the process list (anyone on the machine can read a command line). Only its owner may read the file.
/// </summary>
internal static class ValkeyPasswordFile
{
    public const string FileName = "valkey-password.conf";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Writes <c>requirepass</c>, and for a cluster node also <c>masterauth</c>, the password a replica gives its primary.</summary>
    public static async Task WriteAsync(string path, string password, CancellationToken cancellationToken, bool clusterNode = false)
    {
        // Created afresh with owner-only permissions, so the password is never readable by others, not even briefly.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync($"requirepass \"{password}\"\n".AsMemory(), cancellationToken);
        if (clusterNode)
        {
            await writer.WriteAsync($"masterauth \"{password}\"\n".AsMemory(), cancellationToken);
        }
    }
}
