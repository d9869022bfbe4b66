using Aspire.Hosting.ApplicationModel;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// A Valkey server in the application model, whether it runs as a container or as a local process.
/// </summary>
public interface IValkeyResource : IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithWaitSupport
{
    /// <summary>
    /// Gets the parameter that holds the password clients authenticate with.
    /// </summary>
    ParameterResource PasswordParameter { get; }

    /// <summary>
    /// Gets the endpoint clients connect to.
    /// </summary>
    EndpointReference PrimaryEndpoint { get; }
}
