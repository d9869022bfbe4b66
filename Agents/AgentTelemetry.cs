namespace AgentAspire.Agents;

/// <summary>Telemetry names shared by the processes that run agents.</summary>
public static class AgentTelemetry
{
    /// <summary>The ActivitySource and Meter name; model calls are traced under it with <c>gen_ai.*</c> attributes.</summary>
    public const string SourceName = "AgentAspire.Agents";
}
