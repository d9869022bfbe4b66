using Microsoft.Extensions.Configuration;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Chooses where a local Valkey process keeps its data: outside the source tree, one folder per AppHost and resource.
/// </summary>
internal static class ValkeyDataDirectory
{
    public const string DataDirectoryKey = "Valkey:DataDirectory";

    public static string For(IDistributedApplicationBuilder builder, string resourceName)
    {
        if (builder.Configuration[DataDirectoryKey] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(Path.Combine(configured, resourceName));
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.GetTempPath();
        }

        // The hash of the AppHost's path keeps two checkouts of the same app from sharing data.
        var appHostHash = builder.Configuration["AppHost:PathSha256"] ?? builder.Configuration["AppHost:Sha256"] ?? "default";
        var appHost = $"{builder.Environment.ApplicationName}-{appHostHash[..Math.Min(12, appHostHash.Length)]}".ToLowerInvariant();

        return Path.Combine(root, "aspire-valkey", appHost, resourceName);
    }
}
