using System.Text.Json;
using AgentAspire.Agents.Journaling;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Loops;

/// <summary>
/// A step that lets the model work: it offers the step's tools to the model as functions (their schemas from the
/// tools' argument types), runs the tools the model calls (through the tool cache, logged) and hands the results back,
/// turn after turn, until the model answers or the turn limit is reached. Every model turn and tool result is recorded
/// in the run's journal before the loop goes on, so a run resumed after a crash continues the conversation where it
/// stopped without paying for a turn or a tool twice.
/// </summary>
/// <typeparam name="TInput">The agent's input type.</typeparam>
/// <example>
/// <code>
/// public sealed class AnswerStep(WebSearchTool search) : ModelLoopStep&lt;MyInput&gt;
/// {
///     public override string Name => "answer";
///     protected override IReadOnlyList&lt;IAgentTool&gt; Tools => [search];
///     protected override IEnumerable&lt;ChatMessage&gt; CreateMessages(StepContext context, MyInput input) =>
///         [new(ChatRole.System, "Answer with the tools."), new(ChatRole.User, input.Question)];
/// }
/// </code>
/// </example>
public abstract class ModelLoopStep<TInput> : AgentStep<TInput>
    where TInput : class
{
    /// <summary>The turn limit of a loop that sets none.</summary>
    public const int DefaultMaxTurns = 8;

    /// <summary>The highest turn limit accepted.</summary>
    public const int MaxTurnLimit = 50;

    // The declarations of the last tool list offered, rebuilt only when the list changes (an MCP server reconnected).
    // A reference swapped whole, since runs of the step share it across threads.
    private Tuple<IReadOnlyList<IAgentTool>, IList<AITool>>? _declarations;

    /// <summary>The tools the model may call.</summary>
    protected abstract IReadOnlyList<IAgentTool> Tools { get; }

    /// <summary>
    /// The tools offered to the model on this run of the step; <see cref="Tools"/> by default. Override it for tools
    /// that must be fetched first, such as the tools of an MCP server.
    /// </summary>
    /// <param name="context">The step's context.</param>
    /// <returns>The tools, their names unique.</returns>
    protected virtual ValueTask<IReadOnlyList<IAgentTool>> GetToolsAsync(StepContext context) => ValueTask.FromResult(Tools);

    /// <summary>The conversation the loop starts with: instructions and the question.</summary>
    /// <param name="context">The step's context.</param>
    /// <param name="input">The run's input.</param>
    /// <returns>The first messages.</returns>
    protected abstract IEnumerable<ChatMessage> CreateMessages(StepContext context, TInput input);

    /// <summary>The most model turns of one run of the loop, from 1 to <see cref="MaxTurnLimit"/>.</summary>
    /// <param name="input">The run's input, which may set it.</param>
    /// <returns><see cref="DefaultMaxTurns"/> unless overridden.</returns>
    protected virtual int MaxTurns(TInput input) => DefaultMaxTurns;

    /// <summary>Runs before every model turn; nothing by default.</summary>
    /// <param name="context">The step's context.</param>
    /// <param name="input">The run's input.</param>
    /// <param name="turn">The turn about to start, from 1.</param>
    /// <returns>A task that ends when the turn may start.</returns>
    protected virtual Task BeforeTurnAsync(StepContext context, TInput input, int turn) => Task.CompletedTask;

    /// <summary>The step's result from the loop's end; by default the <see cref="ModelLoopResult"/> itself.</summary>
    /// <param name="context">The step's context.</param>
    /// <param name="input">The run's input.</param>
    /// <param name="result">How the loop ended.</param>
    /// <returns>The result to checkpoint.</returns>
    protected virtual StepResult Finish(StepContext context, TInput input, ModelLoopResult result) => StepResult.Done(result);

    /// <inheritdoc />
    protected sealed override async Task<StepResult> ExecuteAsync(StepContext context, TInput input)
    {
        var maxTurns = MaxTurns(input);
        if (maxTurns is < 1 or > MaxTurnLimit)
        {
            throw new InvalidOperationException($"Step '{Name}' allows {maxTurns} turns; a model loop takes 1 to {MaxTurnLimit}.");
        }

        var offered = await GetToolsAsync(context).ConfigureAwait(false);
        var tools = new Dictionary<string, IAgentTool>(StringComparer.Ordinal);
        foreach (var tool in offered)
        {
            if (!tools.TryAdd(tool.Name, tool))
            {
                throw new InvalidOperationException(
                    $"Step '{Name}' offers two tools named '{tool.Name}' ({Source(tools[tool.Name])} and {Source(tool)}); a model tells tools apart by name only.");
            }
        }

        var messages = CreateMessages(context, input).ToList();
        var declared = _declarations;
        if (declared is null || !ReferenceEquals(declared.Item1, offered))
        {
            _declarations = declared = Tuple.Create(offered, (IList<AITool>)Declarations(offered));
        }

        var options = new ChatOptions { Tools = declared.Item2 };
        var calls = new List<ModelLoopToolCall>();
        ChatResponse? response = null;
        for (var turn = 1; turn <= maxTurns; turn++)
        {
            await BeforeTurnAsync(context, input, turn).ConfigureAwait(false);
            response = await context.Chat.GetResponseAsync(messages, options, context.CancellationToken).ConfigureAwait(false);
            messages.AddRange(response.Messages);
            var requested = response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().ToList();
            if (requested.Count == 0)
            {
                return Finish(context, input, new ModelLoopResult(response.Text, turn, calls, TurnLimitReached: false, response.ModelId));
            }

            var results = new List<AIContent>(requested.Count);
            foreach (var call in requested)
            {
                var (result, made) = await CallToolAsync(context, tools, call, turn).ConfigureAwait(false);
                calls.Add(made);
                results.Add(new FunctionResultContent(call.CallId, result));
            }

            messages.Add(new ChatMessage(ChatRole.Tool, results));
        }

        return Finish(context, input, new ModelLoopResult(response?.Text ?? "", maxTurns, calls, TurnLimitReached: true, response?.ModelId));
    }

    // A call the tool cannot take becomes an error the model reads and can correct, not a failed step.
    private static async Task<(object? Result, ModelLoopToolCall Call)> CallToolAsync(
        StepContext context, Dictionary<string, IAgentTool> tools, FunctionCallContent call, int turn)
    {
        var arguments = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
        if (!tools.TryGetValue(call.Name, out var tool))
        {
            var error = $"There is no tool named '{call.Name}'; the tools are: {string.Join(", ", tools.Keys)}.";
            return (error, new ModelLoopToolCall(turn, call.Name, arguments, error));
        }

        try
        {
            var result = await context.Tools.CallAsync(tool, arguments, context.CancellationToken).ConfigureAwait(false);
            return (result, new ModelLoopToolCall(turn, call.Name, arguments));
        }
        catch (Exception ex) when (ex is ToolArgumentException or ToolCallRejectedException)
        {
            return (ex.Message, new ModelLoopToolCall(turn, call.Name, arguments, ex.Message));
        }
    }

    private static string Source(IAgentTool tool) => tool.Server is { } server ? $"MCP server '{server}'" : tool.GetType().Name;

    // A tool that brings its own schema (an MCP server's) is declared with it; the app's own from its argument type.
    private static List<AITool> Declarations(IEnumerable<IAgentTool> tools) =>
        tools.Select(tool => (AITool)AIFunctionFactory.CreateDeclaration(
                tool.Name,
                tool.Description,
                tool.InputSchema ?? AIJsonUtilities.CreateJsonSchema(tool.ArgumentType, serializerOptions: AgentJson.Options)))
            .ToList();
}
