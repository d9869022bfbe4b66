namespace AgentAspire.Agents;

/// <summary>
/// Typed base class for agents written as steps (kind <see cref="AgentKinds.Steps"/>): declare the input type, the
/// steps and, if needed, extra checks and an example; the input is read once per run by the rules of
/// <see cref="TypedAgent{TInput}"/>. Steps derive from <see cref="AgentStep{TInput}"/> to receive the typed input.
/// </summary>
/// <typeparam name="TInput">The input type, usually a record; constructor parameters without a default are required.</typeparam>
public abstract class Agent<TInput> : TypedAgent<TInput>, IStepAgent
    where TInput : class
{
    private IReadOnlyList<string>? _stepNames;

    /// <inheritdoc />
    public sealed override string Kind => AgentKinds.Steps;

    /// <inheritdoc />
    public abstract IReadOnlyList<IAgentStep> Steps { get; }

    /// <inheritdoc />
    public sealed override IReadOnlyList<string> StepNames => _stepNames ??= Steps.Select(step => step.Name).ToArray();
}
