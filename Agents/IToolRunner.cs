namespace AgentAspire.Agents;

/// <summary>Calls tools for a step; the worker's implementation goes through the shared tool-result cache.</summary>
public interface IToolRunner
{
    /// <summary>Calls a tool, or returns its cached result for the same arguments within the tool's TTL.</summary>
    /// <typeparam name="TArgs">The tool's argument type.</typeparam>
    /// <typeparam name="TResult">The tool's result type.</typeparam>
    /// <param name="tool">The tool, as the agent received it from dependency injection.</param>
    /// <param name="args">The arguments, serialized with <see cref="AgentJson.Options"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the tool.</param>
    /// <returns>The tool's result.</returns>
    Task<TResult> CallAsync<TArgs, TResult>(AgentTool<TArgs, TResult> tool, TArgs args, CancellationToken cancellationToken = default);
}
