using System.Text.RegularExpressions;

namespace Aspire.Hosting;

/// <summary>
/// MCP servers that run elsewhere (a vendor's, another team's), declared as parameters: the worker takes their tools
/// like the demo server's, cached and journaled (docs/mcp.md).
/// </summary>
internal static partial class RemoteMcpServerExtensions
{
    /// <summary>
    /// For each configured parameter <c>mcp-NAME-endpoint</c> (its URL, in configuration or user secrets), gives the
    /// worker <c>Mcp:Servers:NAME:Endpoint</c>, and when the secret parameter <c>mcp-NAME-authorization</c> is
    /// configured too, its <c>Authorization</c> header. Nothing is declared without them, so a deployment asks only
    /// for the servers someone configured.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRemoteMcpServers(this IResourceBuilder<ProjectResource> worker)
    {
        var configuration = worker.ApplicationBuilder.Configuration;
        foreach (var parameter in configuration.GetSection("Parameters").GetChildren())
        {
            if (EndpointParameter().Match(parameter.Key) is not { Success: true } match)
            {
                continue;
            }

            var server = match.Groups["server"].Value;
            worker.WithEnvironment($"Mcp__Servers__{server}__Endpoint", worker.ApplicationBuilder.AddParameter(parameter.Key));
            var authorization = $"mcp-{server}-authorization";
            if (configuration[$"Parameters:{authorization}"] is { Length: > 0 })
            {
                worker.WithEnvironment($"Mcp__Servers__{server}__Headers__Authorization", worker.ApplicationBuilder.AddParameter(authorization, secret: true));
            }
        }

        return worker;
    }

    // A server's name as the worker takes it (a-z, 0-9, '-'; the worker's own rule also allows '_', which a
    // parameter's name does not), between "mcp-" and "-endpoint".
    [GeneratedRegex("^mcp-(?<server>[a-z0-9][a-z0-9-]{0,31})-endpoint$")]
    private static partial Regex EndpointParameter();
}
