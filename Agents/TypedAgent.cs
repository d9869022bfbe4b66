using System.Text.Json;
using AgentAspire.AgentState.Journal;

namespace AgentAspire.Agents;

/// <summary>
/// Base class for agents of every kind that read their input into a type: the input is read strictly (exact property
/// names, no unknown or repeated ones), checked by <see cref="Validate"/>, and every refusal is a message for the
/// client that sent it. <see cref="Agent{TInput}"/> adds steps; another kind adds what its runner needs.
/// </summary>
/// <typeparam name="TInput">The input type, usually a record; constructor parameters without a default are required.</typeparam>
public abstract class TypedAgent<TInput> : IAgent
    where TInput : class
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public abstract string Kind { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<string> StepNames { get; }

    /// <summary>An input that shows a person what the agent takes; <see langword="null"/> (the default) for none.</summary>
    public virtual TInput? Example => null;

    /// <inheritdoc />
    public virtual RunBudget? DefaultBudget => null;

    /// <inheritdoc />
    public JsonElement? ExampleInput => Example is { } example ? JsonSerializer.SerializeToElement(example, AgentJson.InputOptions) : null;

    /// <summary>Reads and checks a run's input.</summary>
    /// <param name="input">The input a client sent: a JSON object, or a plain string when <see cref="FromText"/> accepts one.</param>
    /// <returns>The accepted input.</returns>
    /// <exception cref="AgentInputException">The input is not acceptable; the message says why.</exception>
    public TInput ReadInput(JsonElement input)
    {
        var typed = input.ValueKind == JsonValueKind.String
            ? FromText(input.GetString()!) ?? throw new AgentInputException(AgentInputReader.NotAnObject<TInput>(input.ValueKind))
            : AgentInputReader.Read<TInput>(input);
        var problems = Validate(typed).ToArray();
        return problems.Length == 0 ? typed : throw new AgentInputException(string.Join(" ", problems));
    }

    object IAgent.ReadInput(JsonElement input) => ReadInput(input);

    /// <summary>
    /// The input for a plain string such as <c>"How do streams work?"</c>, for agents that take a question;
    /// <see langword="null"/> (the default) refuses a string.
    /// </summary>
    /// <param name="text">The string the client sent.</param>
    /// <returns>The input it stands for, which <see cref="Validate"/> then checks, or <see langword="null"/>.</returns>
    protected virtual TInput? FromText(string text) => null;

    /// <summary>Checks what the type alone cannot (ranges, lengths, combinations); each message says what is wrong.</summary>
    /// <param name="input">The input, read.</param>
    /// <returns>One message per problem; none when the input is acceptable.</returns>
    protected virtual IEnumerable<string> Validate(TInput input) => [];
}
