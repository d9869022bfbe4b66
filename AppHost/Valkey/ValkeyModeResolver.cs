namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// Turns configuration <c>Valkey:Mode</c> and what the machine offers into a concrete <see cref="ValkeyMode"/>.
/// </summary>
internal static class ValkeyModeResolver
{
    public const string ModeKey = "Valkey:Mode";

    public static ValkeyMode Resolve(IDistributedApplicationBuilder builder)
    {
        // A local process cannot be deployed: the manifest always describes a container.
        if (builder.ExecutionContext.IsPublishMode)
        {
            return ValkeyMode.Container;
        }

        var mode = Configured(builder);
        if (mode != ValkeyMode.Auto)
        {
            return mode;
        }

        if (ContainerRuntimeProbe.IsAvailable(builder.Configuration))
        {
            return ValkeyMode.Container;
        }

        if (ValkeyServerLocator.Find(builder.Configuration) is not null)
        {
            return ValkeyMode.Local;
        }

        throw new DistributedApplicationException(
            "Valkey needs either valkey-server or a running container runtime, and neither was found. " +
            "Install valkey-server (run eng/setup.sh, or set Valkey:ServerPath to its path), or start Docker or Podman.");
    }

    private static ValkeyMode Configured(IDistributedApplicationBuilder builder)
    {
        var value = builder.Configuration[ModeKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return ValkeyMode.Auto;
        }

        return Enum.TryParse<ValkeyMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new DistributedApplicationException(
                $"Configuration {ModeKey} is '{value}'; use 'auto', 'container' or 'local'.");
    }
}
