namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// How <see cref="ValkeyBuilderExtensions.AddValkey"/> runs the Valkey server; configured by <c>Valkey:Mode</c>.
/// </summary>
public enum ValkeyMode
{
    /// <summary>
    /// A container when publishing or when a container runtime answers, else a local process.
    /// </summary>
    Auto,

    /// <summary>
    /// The <c>valkey/valkey</c> container image.
    /// </summary>
    Container,

    /// <summary>
    /// A local <c>valkey-server</c> process.
    /// </summary>
    Local,
}
