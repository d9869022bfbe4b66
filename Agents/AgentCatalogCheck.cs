using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentAspire.Agents;

/// <summary>
/// Builds the <see cref="AgentCatalog"/> when the host starts, so an app with a badly declared agent refuses to start
/// with a message naming the agent, instead of failing its first request or run.
/// </summary>
/// <param name="services">Resolves the catalog.</param>
internal sealed class AgentCatalogCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<AgentCatalog>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
