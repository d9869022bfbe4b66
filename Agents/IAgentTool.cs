using System.Text.Json;

namespace AgentAspire.Agents;

/// <summary>A tool: a plain class in DI with a name, a TTL and an argument type.</summary>
public interface IAgentTool
{
    /// <summary>The tool's name, for example <c>web_search</c>.</summary>
    string Name { get; }

    /// <summary>What the tool does, as a model reads it when it chooses a tool.</summary>
    string Description => Name;

    /// <summary>
    /// Whether a person must approve each call a model makes (the tool sends mail, pays, deletes): the run waits in
    /// <c>waiting</c> with the tool's name and arguments, and a refusal is handed to the model.
    /// </summary>
    bool RequiresApproval => false;

    /// <summary>How long its results stay cached; zero or less for a tool with side effects, which is never cached.</summary>
    TimeSpan Ttl { get; }

    /// <summary>
    /// The JSON schema of its arguments when the tool brings its own (a tool of an MCP server); null, the default,
    /// derives the schema from <see cref="ArgumentType"/>.
    /// </summary>
    JsonElement? InputSchema => null;

    /// <summary>The MCP server the tool comes from, named in its <c>tool_call</c> log entries; null for the app's own tools.</summary>
    string? Server => null;

    /// <summary>
    /// The name its results are cached under (1 to 64 characters of a-z, 0-9, '_', '.' or '-'); by default
    /// <see cref="Name"/>. Tools of an MCP server use <c>mcp.SERVER.TOOL</c>, so two servers never share results.
    /// </summary>
    string CacheName => Name;

    /// <summary>The type its arguments deserialize to.</summary>
    Type ArgumentType { get; }

    /// <summary>The type of its result.</summary>
    Type ResultType { get; }

    /// <summary>Runs the tool for real.</summary>
    /// <param name="args">The JSON of <see cref="ArgumentType"/>.</param>
    /// <param name="invocation">The run, step and attempt calling, with the idempotency key.</param>
    /// <param name="cancellationToken">Stops the tool.</param>
    /// <returns>The JSON of the result.</returns>
    /// <exception cref="ToolArgumentException">The arguments do not fit the tool.</exception>
    Task<JsonElement> InvokeAsync(JsonElement args, ToolInvocation invocation, CancellationToken cancellationToken);
}
