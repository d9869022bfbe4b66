using Aspire.Hosting.ApplicationModel;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// A Valkey server that runs as a local <c>valkey-server</c> process, for machines without a container runtime.
/// </summary>
/// <param name="name">The name of the resource.</param>
/// <param name="serverPath">The path of the <c>valkey-server</c> executable.</param>
/// <param name="dataDirectory">The folder the server keeps its append-only file in.</param>
/// <param name="password">The parameter that holds the server password.</param>
public class ValkeyProcessResource(string name, string serverPath, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, serverPath, dataDirectory), IValkeyResource
{
    private EndpointReference? _primaryEndpoint;

    /// <summary>
    /// Gets the folder the server keeps its append-only file in.
    /// </summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <inheritdoc />
    public ParameterResource PasswordParameter { get; } = password ?? throw new ArgumentNullException(nameof(password));

    /// <inheritdoc />
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, ValkeyConnectionString.EndpointName);

    /// <summary>
    /// Gets the connection string expression for the Valkey server: <c>host:port,password=...</c>.
    /// </summary>
    public ReferenceExpression ConnectionStringExpression => ValkeyConnectionString.For(PrimaryEndpoint, PasswordParameter);
}
