using System.ComponentModel;
using System.Text.Json;
using AgentAspire.AgentApi.Runs;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace AgentAspire.AgentApi.Mcp;

/// <summary>Each run's activity log as an MCP resource, read as the JSON of <c>GET /runs/{id}/log</c>.</summary>
[McpServerResourceType]
internal static class RunLogResources
{
    public const string UriTemplate = "agentaspire://runs/{runId}/log";

    [McpServerResource(UriTemplate = UriTemplate, Name = "run_log", Title = "A run's activity log", MimeType = "application/json")]
    [Description("The first 1000 entries of a run's activity log, in order, with 'next' to read on with read_run_log.")]
    // The description names ActivityLog.MaxPageSize as a literal: an attribute takes no interpolated number.
    public static async Task<string> ReadRunLog(RunStore store, ActivityLog log, IOptions<JsonOptions> json, string runId)
    {
        var page = await McpAnswers.ValueOfRun<RunLog>(runId, async () => (await RunsApi.GetRunLog(runId, null, ActivityLog.MaxPageSize, store, log)).Result);
        return JsonSerializer.Serialize(page, json.Value.SerializerOptions);
    }
}
