namespace AgentAspire.Agents;

/// <summary>The kinds of agent this library defines; another library adds its own kind with its own name and runner.</summary>
public static class AgentKinds
{
    /// <summary>An agent written as an ordered list of <see cref="IAgentStep"/>s (<see cref="IStepAgent"/>), run by the worker itself.</summary>
    public const string Steps = "steps";
}
