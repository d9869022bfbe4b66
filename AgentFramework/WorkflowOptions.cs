namespace AgentAspire.AgentFramework;

/// <summary>Settings of workflow runs, bound to the configuration section <c>Workflows</c>.</summary>
public sealed class WorkflowOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Workflows";

    /// <summary>How long a chat answer of a workflow stays cached (same messages and options, same answer); off when null.</summary>
    public TimeSpan? ChatCacheTtl { get; set; }
}
