namespace AgentAspire.AppHost.Valkey;

internal static class ValkeyContainerImageTags
{
    public const string Registry = "docker.io";

    public const string Image = "valkey/valkey";

    public const string Tag = "8";
}
