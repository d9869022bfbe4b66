using System.Text.Json;

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

    /// <summary>
    /// Calls a tool with JSON arguments, as a model loop does with the arguments a model chose: through the cache, and
    /// recorded in the step's journal before the result is used, so a step run again does not run it again.
    /// </summary>
    /// <param name="tool">The tool.</param>
    /// <param name="arguments">The arguments as JSON.</param>
    /// <param name="cancellationToken">Stops waiting for the tool.</param>
    /// <returns>The tool's result as JSON.</returns>
    /// <exception cref="ToolArgumentException">The arguments do not fit the tool.</exception>
    /// <exception cref="Journaling.ToolCallRejectedException">The tool asks first, and a person refused.</exception>
    Task<JsonElement> CallAsync(IAgentTool tool, JsonElement arguments, CancellationToken cancellationToken = default);
}
