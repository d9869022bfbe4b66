namespace AgentAspire.Agents;

/// <summary>An agent of kind <see cref="AgentKinds.Steps"/>: an ordered list of steps the worker runs one at a time, checkpointing each result.</summary>
public interface IStepAgent : IAgent
{
    /// <summary>The steps in the order they run; a step's number is its 1-based position in this list.</summary>
    IReadOnlyList<IAgentStep> Steps { get; }
}
