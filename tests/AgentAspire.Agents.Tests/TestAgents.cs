using AgentAspire.AppAgents;
using AgentAspire.Agents.Research;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.Agents.Tests;

/// <summary>Agents built the way the API and the worker build them: through the app's registration.</summary>
internal static class TestAgents
{
    public static ResearchAgent Research(TimeProvider timeProvider)
    {
        var services = new ServiceCollection();
        services.AddSingleton(timeProvider);
        services.AddAppAgents();
        // The provider lives as long as the test process; the agent and its tools are plain singletons.
        return services.BuildServiceProvider().GetServices<IAgent>().OfType<ResearchAgent>().Single();
    }
}
