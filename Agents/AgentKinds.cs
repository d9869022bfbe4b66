namespace AgentAspire.Agents;

/// <summary>The kinds of agent this library defines; another library may add its own kind with its own name.</summary>
public static class AgentKinds
{
    /// <summary>An agent written as an ordered list of <see cref="IAgentStep"/>s.</summary>
    public const string Steps = "steps";
}
