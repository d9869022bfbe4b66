using System.Text.Json;
using AgentAspire.Agents;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentAspire.McpResearchServer;

/// <summary>
/// Serves an <see cref="IAgentTool"/> as an MCP tool: its name, description and argument schema listed, its result
/// answered as structured content (and as text, for clients that read only text). Arguments the tool refuses are an
/// error result naming the problem, which a model can correct.
/// </summary>
public sealed class AgentToolServerTool : McpServerTool
{
    private readonly IAgentTool _tool;

    /// <summary>Wraps <paramref name="tool"/>.</summary>
    /// <param name="tool">The tool to serve.</param>
    public AgentToolServerTool(IAgentTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        _tool = tool;
        ProtocolTool = new Tool
        {
            Name = tool.Name,
            Description = tool.Description,
            InputSchema = tool.InputSchema ?? AIJsonUtilities.CreateJsonSchema(tool.ArgumentType, serializerOptions: AgentJson.Options),
        };
    }

    /// <inheritdoc />
    public override Tool ProtocolTool { get; }

    /// <inheritdoc />
    public override IReadOnlyList<object> Metadata => [];

    /// <inheritdoc />
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = JsonSerializer.SerializeToElement(request.Params?.Arguments ?? new Dictionary<string, JsonElement>(), AgentJson.Options);
        // A tool served here belongs to no run; the request's id stands in for the idempotency key.
        var invocation = new ToolInvocation("mcp", 0, 0, $"mcp:{request.JsonRpcRequest.Id}");
        try
        {
            var result = await _tool.InvokeAsync(arguments, invocation, cancellationToken).ConfigureAwait(false);
            return new CallToolResult
            {
                StructuredContent = result,
                Content = [new TextContentBlock { Text = result.GetRawText() }],
            };
        }
        catch (ToolArgumentException ex)
        {
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = ex.Message }] };
        }
    }
}
