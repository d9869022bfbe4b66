using AgentAspire.LocalValkey;
using Microsoft.Extensions.Configuration;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Finds the <c>valkey-server</c> executable: configuration <c>Valkey:ServerPath</c> first, then the <c>PATH</c>.
/// </summary>
internal static class ValkeyServerLocator
{
    public const string ServerPathKey = "Valkey:ServerPath";

    public static string? Find(IConfiguration configuration) => ValkeyExecutables.FindServer(configuration[ServerPathKey]);
}
