namespace AgentAspire.LocalValkey;

/// <summary>
/// The configuration file that hands a local <c>valkey-server</c> its password, so the password never appears in
/// the process list (anyone on the machine can read a command line). Only its owner may read the file.
/// </summary>
public static class ValkeyPasswordFile
{
    /// <summary>The file's name inside a server's data folder.</summary>
    public const string FileName = "valkey-password.conf";

    /// <summary>The path of the file inside <paramref name="dataDirectory"/>.</summary>
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Writes <c>requirepass</c>, and for a cluster node also <c>masterauth</c>, the password a replica gives its primary.</summary>
    /// <param name="path">The file to write; one already there is replaced.</param>
    /// <param name="password">The password; letters and digits, as the quoting here does not escape.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <param name="clusterNode">Whether the server is a cluster node, whose replicas authenticate to their primary.</param>
    public static async Task WriteAsync(string path, string password, CancellationToken cancellationToken, bool clusterNode = false)
    {
        // Created afresh with owner-only permissions, so the password is never readable by others, not even briefly.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new StreamWriter(stream);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync($"requirepass \"{password}\"\n".AsMemory(), cancellationToken).ConfigureAwait(false);
                if (clusterNode)
                {
                    await writer.WriteAsync($"masterauth \"{password}\"\n".AsMemory(), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
