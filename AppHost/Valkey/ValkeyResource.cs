using Aspire.Hosting.ApplicationModel;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// A Valkey server that runs in a container.
/// </summary>
/// <param name="name">The name of the resource.</param>
/// <param name="password">The parameter that holds the server password.</param>
public class ValkeyResource(string name, ParameterResource password) : ContainerResource(name), IValkeyResource
{
    private EndpointReference? _primaryEndpoint;

    /// <inheritdoc />
    public ParameterResource PasswordParameter { get; } = password ?? throw new ArgumentNullException(nameof(password));

    /// <inheritdoc />
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, ValkeyConnectionString.EndpointName);

    /// <summary>
    /// Gets the connection string expression for the Valkey server: <c>host:port,password=...</c>.
    /// </summary>
    public ReferenceExpression ConnectionStringExpression => ValkeyConnectionString.For(PrimaryEndpoint, PasswordParameter);
}
