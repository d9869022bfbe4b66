using System.Diagnostics;
using AgentAspire.Agents;
using AgentAspire.Fault.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

/// <summary>
/// Adds the fault tier's test agents to a real worker process without a test switch in the worker: the tier names this
/// assembly in <c>DOTNET_STARTUP_HOOKS</c>, the runtime calls <see cref="Initialize"/> before the worker's <c>Main</c>,
/// and the hook registers the agents when the worker's host is built, as the host's own "HostBuilding" event allows
/// (the way test hosts such as <c>WebApplicationFactory</c> reach into a real program).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1050", Justification = "The runtime looks for a type named StartupHook outside any namespace.")]
public static class StartupHook
{
    private const string HostingListener = "Microsoft.Extensions.Hosting";

    /// <summary>The environment variable that makes a process load this hook; its value is this assembly's path.</summary>
    public const string Variable = "DOTNET_STARTUP_HOOKS";

    /// <summary>Called by the runtime in the worker process, before its <c>Main</c>.</summary>
    public static void Initialize() => DiagnosticListener.AllListeners.Subscribe(new Listeners());

    private sealed class Listeners : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == HostingListener)
            {
                listener.Subscribe(new HostEvents());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class HostEvents : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value is { Key: "HostBuilding", Value: IHostBuilder host })
            {
                host.ConfigureServices((_, services) => services.AddAgents().AddAgent<ManyStepsAgent>());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
