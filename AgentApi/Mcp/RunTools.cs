using System.ComponentModel;
using System.Text.Json;
using AgentAspire.AgentApi.Agents;
using AgentAspire.AgentApi.Runs;
using AgentAspire.Agents;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using ModelContextProtocol.Server;

namespace AgentAspire.AgentApi.Mcp;

/// <summary>
/// The runs API as MCP tools: each tool runs the handler of its HTTP endpoint, with the same checks, limits and
/// answers, so a client of <c>/mcp</c> can do what a client of <c>/runs</c> can.
/// </summary>
[McpServerToolType]
internal static class RunTools
{
    [McpServerTool(Name = "list_agents", Title = "List agents", ReadOnly = true, Idempotent = true, Destructive = false)]
    [Description("List the agents a run can use, with their kind, description and steps.")]
    public static AgentInfo[] ListAgents(AgentCatalog catalog) => AgentsApi.ListAgents(catalog).Value!;

    [McpServerTool(Name = "start_run", Title = "Start a run", Destructive = false)]
    [Description("Start a run of an agent. The run is queued and a worker executes it; follow it with get_run or read_run_log. " +
        "With an idempotency key, the same key and arguments always answer the same run.")]
    public static Task<RunAccepted> StartRun(
        AgentCatalog catalog,
        RunStore store,
        [Description("The agent to run, one of list_agents, e.g. \"research\".")] string agent,
        [Description("The run's input, which the agent validates, e.g. { \"question\": \"How do Valkey streams keep an activity log?\" } for research.")] JsonElement input,
        [Description("Optional: 1 to 200 visible ASCII characters naming this request, so that sending it again starts no second run.")] string? idempotencyKey = null) =>
        McpAnswers.ValueOf<RunAccepted>(async () =>
            (await RunsApi.StartRunAsync(new StartRunRequest(agent, input), IdempotencyKey.Read(idempotencyKey), catalog, store)).Result);

    [McpServerTool(Name = "get_run", Title = "Get a run", ReadOnly = true, Idempotent = true, Destructive = false)]
    [Description("Get a run: its status, committed steps with their results, input, error and the approval it waits for.")]
    public static Task<RunDetails> GetRun(RunStore store, [Description("The run id, as start_run answered it.")] string runId) =>
        McpAnswers.ValueOfRun<RunDetails>(runId, async () => (await RunsApi.GetRun(runId, store)).Result);

    [McpServerTool(Name = "read_run_log", Title = "Read a run's activity log", ReadOnly = true, Idempotent = true, Destructive = false)]
    [Description("Read a page of a run's activity log, in order. Pass the answer's 'next' as 'from' to read on.")]
    public static Task<RunLog> ReadRunLog(
        RunStore store,
        ActivityLog log,
        [Description("The run id.")] string runId,
        [Description("Optional: a log entry id; entries after it are read.")] string? from = null,
        [Description("Optional: how many entries, 1 to 1000 (default 100).")] int? count = null) =>
        McpAnswers.ValueOfRun<RunLog>(runId, async () => (await RunsApi.GetRunLog(runId, from, count, store, log)).Result);

    [McpServerTool(Name = "cancel_run", Title = "Cancel a run", Idempotent = true)]
    [Description("Cancel a queued, running or waiting run.")]
    public static Task<RunAccepted> CancelRun(RunControl control, [Description("The run id.")] string runId) =>
        McpAnswers.ValueOfRun<RunAccepted>(runId, async () => (await RunsApi.CancelRun(runId, control)).Result);

    [McpServerTool(Name = "approve_run", Title = "Approve a waiting run", Destructive = false)]
    [Description("Approve the step a waiting run asks about; the run goes on.")]
    public static Task<RunAccepted> ApproveRun(
        RunStore store,
        RunControl control,
        [Description("The run id.")] string runId,
        [Description("Optional: what you say along with the decision.")] string? comment = null) =>
        Decide(store, control, runId, approved: true, comment);

    [McpServerTool(Name = "reject_run", Title = "Reject a waiting run", Destructive = false)]
    [Description("Reject the step a waiting run asks about; the step decides what a rejection means.")]
    public static Task<RunAccepted> RejectRun(
        RunStore store,
        RunControl control,
        [Description("The run id.")] string runId,
        [Description("Optional: why.")] string? comment = null) =>
        Decide(store, control, runId, approved: false, comment);

    private static Task<RunAccepted> Decide(RunStore store, RunControl control, string runId, bool approved, string? comment) =>
        McpAnswers.ValueOfRun<RunAccepted>(runId, async () => (await RunsApi.ApproveRun(runId, new ApproveRequest(approved, comment), store, control)).Result);
}
