using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentAspire.AgentState;

/// <summary>The ActivitySource and Meter <c>AgentAspire.Agents</c>, with the product's span, attribute and metric names.</summary>
public static class AgentTelemetry
{
    /// <summary>Name of the ActivitySource and the Meter.</summary>
    public const string Name = "AgentAspire.Agents";

    /// <summary>Span of a whole run on a worker.</summary>
    public const string RunSpan = "agent.run";
    /// <summary>Span of one step.</summary>
    public const string StepSpan = "agent.step";
    /// <summary>Span of one tool call, cached or not.</summary>
    public const string ToolSpan = "tool.call";

    /// <summary>Attribute: the run id.</summary>
    public const string RunIdAttribute = "agent.run_id";
    /// <summary>Attribute: the agent name.</summary>
    public const string AgentNameAttribute = "agent.name";
    /// <summary>Attribute: the step number.</summary>
    public const string StepAttribute = "agent.step";
    /// <summary>Attribute: the tool name.</summary>
    public const string ToolNameAttribute = "tool.name";
    /// <summary>Attribute: whether the tool result came from the cache.</summary>
    public const string ToolCacheHitAttribute = "tool.cache_hit";

    /// <summary>Where the product's spans come from.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Where the product's metrics come from.</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>Runs a worker started or resumed.</summary>
    public static Counter<long> RunsStarted { get; } = Meter.CreateCounter<long>("agent.runs.started", "{run}");
    /// <summary>Runs that completed.</summary>
    public static Counter<long> RunsCompleted { get; } = Meter.CreateCounter<long>("agent.runs.completed", "{run}");
    /// <summary>Runs that failed.</summary>
    public static Counter<long> RunsFailed { get; } = Meter.CreateCounter<long>("agent.runs.failed", "{run}");
    /// <summary>Steps committed.</summary>
    public static Counter<long> StepsCompleted { get; } = Meter.CreateCounter<long>("agent.steps.completed", "{step}");
    /// <summary>How long steps ran, commit excluded.</summary>
    public static Histogram<double> StepDuration { get; } = Meter.CreateHistogram<double>("agent.step.duration", "s");
    /// <summary>How long a step commit took (one round trip).</summary>
    public static Histogram<double> CommitDuration { get; } = Meter.CreateHistogram<double>("agent.commit.duration", "s");
    /// <summary>Tool calls answered from the cache.</summary>
    public static Counter<long> ToolCacheHits { get; } = Meter.CreateCounter<long>("tool.cache.hits", "{call}");
    /// <summary>Tool calls that ran the tool.</summary>
    public static Counter<long> ToolCacheMisses { get; } = Meter.CreateCounter<long>("tool.cache.misses", "{call}");

    /// <summary>
    /// What model calls cost by the price table, in its currency, by <c>gen_ai.request.model</c>. Tokens are counted by
    /// the chat client's own <c>gen_ai.client.token.usage</c>; this adds the money.
    /// </summary>
    public static Counter<double> ModelCost { get; } = Meter.CreateCounter<double>("agent.model.cost", "{currency}");

    /// <summary>Model calls a resumed step was answered from its journal for, so not paid again.</summary>
    public static Counter<long> ModelCallsReplayed { get; } = Meter.CreateCounter<long>("agent.model.calls.replayed", "{call}");

    /// <summary>The model attribute of <see cref="ModelCost"/>, as the gen_ai conventions name it.</summary>
    public const string ModelAttribute = "gen_ai.request.model";
}
