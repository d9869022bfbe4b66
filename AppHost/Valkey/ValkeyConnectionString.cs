using Aspire.Hosting.ApplicationModel;

namespace AgentAspire.AppHost.Valkey;

/// <summary>
/// The connection string both kinds of Valkey resource share, in the StackExchange.Redis format.
/// </summary>
internal static class ValkeyConnectionString
{
    public const string EndpointName = "tcp";

    public static ReferenceExpression For(EndpointReference endpoint, ParameterResource password) =>
        ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)},password={password}");
}
