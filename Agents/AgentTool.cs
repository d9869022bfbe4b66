using System.Text.Json;

namespace AgentAspire.Agents;

/// <summary>
/// Typed base class for tools: implement the typed call, the JSON plumbing is done here. Register a tool with
/// <see cref="AgentsBuilder.AddTool{TTool}"/>, take it in the agent's constructor, and call it from a step with
/// <see cref="CallAsync"/>, which goes through the step's <see cref="IToolRunner"/> (the cache, in the worker).
/// </summary>
/// <typeparam name="TArgs">The argument type.</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
public abstract class AgentTool<TArgs, TResult> : IAgentTool
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract TimeSpan Ttl { get; }

    /// <inheritdoc />
    public virtual string Description => Name;

    /// <inheritdoc />
    public virtual bool RequiresApproval => false;

    Type IAgentTool.ArgumentType => typeof(TArgs);

    Type IAgentTool.ResultType => typeof(TResult);

    /// <summary>Calls this tool for a step, through the step's tool runner.</summary>
    /// <param name="context">The calling step's context.</param>
    /// <param name="args">The arguments.</param>
    /// <returns>The result, possibly from the cache.</returns>
    public Task<TResult> CallAsync(StepContext context, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Tools.CallAsync(this, args, context.CancellationToken);
    }

    /// <summary>Runs the tool with typed arguments.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="invocation">The run, step and attempt calling, with the idempotency key.</param>
    /// <param name="cancellationToken">Stops the tool.</param>
    /// <returns>The result.</returns>
    protected abstract Task<TResult> InvokeAsync(TArgs args, ToolInvocation invocation, CancellationToken cancellationToken);

    async Task<JsonElement> IAgentTool.InvokeAsync(JsonElement args, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        TArgs? typed;
        try
        {
            typed = args.Deserialize<TArgs>(AgentJson.Options);
        }
        catch (JsonException ex)
        {
            throw new ToolArgumentException(Name, ex.Message, ex);
        }

        if (typed is null)
        {
            throw new ToolArgumentException(Name, $"expected a JSON object for {typeof(TArgs).Name}, got {args.ValueKind}.");
        }

        var result = await InvokeAsync(typed, invocation, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToElement(result, AgentJson.Options);
    }
}
