using AgentAspire.Agents.Mcp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the MCP servers of the configuration as sources of tools.</summary>
public static class McpServiceCollectionExtensions
{
    /// <summary>
    /// Checks the servers of <c>Mcp:Servers</c> now, so a bad setting stops the process at start with every problem
    /// named, and connects to them when the host starts (the worker does this; agents take tools from
    /// <see cref="McpToolSources"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration holding <c>Mcp:Servers</c>.</param>
    /// <returns>The same service collection.</returns>
    /// <exception cref="InvalidOperationException">A server is misconfigured.</exception>
    public static IServiceCollection AddMcpToolSources(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        McpServerSettings.Read(configuration);
        services.TryAddSingleton<McpToolSources>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, McpToolSourcesStartup>());
        return services;
    }
}
