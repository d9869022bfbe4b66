using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents;

/// <summary>What a step gets. Results of earlier steps are restored from the checkpoint on resume.</summary>
/// <param name="RunId">The run being executed.</param>
/// <param name="AgentName">The agent the run belongs to.</param>
/// <param name="Step">The 1-based number of this step.</param>
/// <param name="StepName">The name of this step.</param>
/// <param name="Attempt">The attempt of this step, starting at 1; it grows when a run resumes after a crash.</param>
/// <param name="Input">The run's input as JSON, already accepted by <see cref="IAgent.ReadInput"/>.</param>
/// <param name="Results">The results of earlier steps by step name.</param>
/// <param name="Tools">Calls tools through the cache.</param>
/// <param name="Chat">The chat model.</param>
/// <param name="Approval">A person's decision for this step, when one was given.</param>
/// <param name="CancellationToken">Cancelled when the run is cancelled or the worker stops.</param>
public sealed record StepContext(
    string RunId,
    string AgentName,
    int Step,
    string StepName,
    int Attempt,
    JsonElement Input,
    IReadOnlyDictionary<string, JsonElement> Results,
    IToolRunner Tools,
    IChatClient Chat,
    ApprovalDecision? Approval,
    CancellationToken CancellationToken)
{
    /// <summary>Which try of this step this is within one claim of the run: 0 first, 1 on the first retry, and so on.</summary>
    public int Retry { get; init; }

    /// <summary>The run's input as <see cref="IAgent.ReadInput"/> returned it, read once per run by the worker.</summary>
    public object? TypedInput { get; init; }

    /// <summary>The invocation that tools called by this step's attempt receive.</summary>
    public ToolInvocation Invocation => ToolInvocation.For(RunId, Step, Attempt);

    /// <summary>The run's input in the agent's input type.</summary>
    /// <typeparam name="TInput">The agent's input type.</typeparam>
    /// <returns><see cref="TypedInput"/>.</returns>
    /// <exception cref="InvalidOperationException">The context carries no input of that type.</exception>
    public TInput GetInput<TInput>() => TypedInput is TInput input
        ? input
        : throw new InvalidOperationException(
            $"Step '{StepName}' of run '{RunId}' expects an input of type {typeof(TInput).Name}, but the context carries {TypedInput?.GetType().Name ?? "none"}; set {nameof(TypedInput)} from {nameof(IAgent)}.{nameof(IAgent.ReadInput)}.");

    /// <summary>Reads the result of an earlier step.</summary>
    /// <typeparam name="T">The type the result was written as.</typeparam>
    /// <param name="stepName">The earlier step's name.</param>
    /// <returns>The result, deserialized with <see cref="AgentJson.Options"/>.</returns>
    /// <exception cref="InvalidOperationException">No result of that step is present, or it does not fit <typeparamref name="T"/>.</exception>
    public T GetResult<T>(string stepName)
    {
        if (!Results.TryGetValue(stepName, out var json))
        {
            var known = Results.Count == 0 ? "none" : string.Join(", ", Results.Keys);
            throw new InvalidOperationException(
                $"Step '{StepName}' of run '{RunId}' needs the result of step '{stepName}', which is missing (results present: {known}).");
        }

        try
        {
            return json.Deserialize<T>(AgentJson.Options)
                ?? throw new InvalidOperationException($"The result of step '{stepName}' is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException(
                $"The result of step '{stepName}' cannot be read as {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
