using System.Text.Json;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.Agents.ResearchMcp;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>
/// Tools of a real MCP server (the demo research server, over HTTP and over stdio) offered to a model loop by the
/// worker on a real valkey-server: cached across runs, journaled within a run, a server down retried then failed.
/// </summary>
public sealed class McpToolSourceTests(ValkeyServerFixture server) : WorkerTest(server)
{
    private const string ServerName = ResearchMcpAgent.ServerName;

    private static readonly string[] ResearchTools = [WebSearchTool.ToolName, TextStatsTool.ToolName, GlossaryTool.ToolName];

    // Calls each research tool once, one per turn, then answers with the last tool result it read.
    private static ModelReply ResearchScript(ModelRequest request)
    {
        var messages = request.Body.GetProperty("messages").EnumerateArray().ToList();
        var results = messages.Count(message => message.GetProperty("role").GetString() == "tool");
        if (results < ResearchTools.Length)
        {
            var tool = ResearchTools[results];
            var arguments = tool == WebSearchTool.ToolName ? """{"query":"resume after a crash"}""" : """{"text":"A run resumes from its checkpoint after a crash."}""";
            return new ModelReply("", 50, 5, ToolCalls: [new ModelToolCall($"call_{results + 1}", tool, arguments)]);
        }

        return new ModelReply("Answered from the research server.", 80, 6);
    }

    private static Action<Agents.AgentsBuilder> ResearchMcp => agents => agents.AddAgent<ResearchMcpAgent>();

    private static Dictionary<string, string?> Settings(TestModelServer model, IReadOnlyDictionary<string, string?> server)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:llm"] = model.OpenAIConnectionString() };
        foreach (var (key, value) in server)
        {
            settings[$"Mcp:Servers:{ServerName}:{key}"] = value;
        }

        return settings;
    }

    [LinuxFact]
    public async Task Http_TheServersToolsAreOfferedWithTheirSchemas_LoggedWithTheServer_AndASecondRunIsServedByTheCache()
    {
        await using var mcp = await ResearchMcpHost.StartAsync();
        await using var model = TestModelServer.Start(ResearchScript);
        await StartWorkerAsync(new StepGate(), "w1", Settings(model, new Dictionary<string, string?> { ["Endpoint"] = mcp.Endpoint.ToString() }), ResearchMcp);

        var first = await CreateRunAsync(ResearchMcpAgent.AgentName, """{"question":"How does a run resume after a crash?"}""");
        var run = await WaitForStatusAsync(first, RunStatus.Complete);

        Assert.Contains("Answered from the research server.", run.Steps[0].ResultJson, StringComparison.Ordinal);
        Assert.Equal(3, mcp.TotalCalls);
        // The model saw the server's tools with the server's own schemas.
        var declared = model.Requests[0].Body.GetProperty("tools").EnumerateArray().Select(tool => tool.GetProperty("function")).ToList();
        Assert.Equal(ResearchTools.Order(StringComparer.Ordinal), declared.Select(tool => tool.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var search = declared.Single(tool => tool.GetProperty("name").GetString() == WebSearchTool.ToolName);
        Assert.True(search.GetProperty("parameters").GetProperty("properties").TryGetProperty("query", out _));
        var calls = ToolCalls(await LogAsync(first));
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call => Assert.Equal(ServerName, call.GetProperty("server").GetString()));
        Assert.All(calls, call => Assert.False(call.GetProperty("cacheHit").GetBoolean()));
        Assert.All(calls, call => Assert.StartsWith("tool:cache:mcp.research.", call.GetProperty("key").GetString(), StringComparison.Ordinal));

        var second = await CreateRunAsync(ResearchMcpAgent.AgentName, """{"question":"How does a run resume after a crash?"}""");
        await WaitForStatusAsync(second, RunStatus.Complete);

        Assert.Equal(3, mcp.TotalCalls);
        var cached = ToolCalls(await LogAsync(second));
        Assert.Equal(3, cached.Count);
        Assert.All(cached, call => Assert.True(call.GetProperty("cacheHit").GetBoolean()));
    }

    [LinuxFact]
    public async Task Http_AStepResumedOnAnotherWorker_AnswersTheServersCallsFromItsJournal_EvenWhenNothingIsCached()
    {
        await using var mcp = await ResearchMcpHost.StartAsync();
        await using var model = TestModelServer.Start(ResearchScript);
        // Nothing cached: only the journal can keep the server from being called twice.
        var server = new Dictionary<string, string?> { ["Endpoint"] = mcp.Endpoint.ToString(), ["CacheTtl"] = "00:00:00" };
        var first = await StartWorkerAsync(new StepGate(), "w1", Settings(model, server), ResearchMcp);
        var runId = await CreateRunAsync(ResearchMcpAgent.AgentName, """{"question":"How does a run resume after a crash?","turnDelayMs":1500}""");
        await Poll.UntilAsync(async () => ToolCalls(await LogAsync(runId)).Count >= 2, Wait, "two MCP tool calls");
        await first.StopAsync();
        var called = mcp.TotalCalls;
        Assert.InRange(called, 2, 3);

        await StartWorkerAsync(new StepGate(), "w2", Settings(model, server), ResearchMcp);
        await WaitForStatusAsync(runId, RunStatus.Complete);

        Assert.Equal(3, mcp.TotalCalls);
        Assert.All(mcp.Calls.Values, count => Assert.Equal(1, count));
        var calls = ToolCalls(await LogAsync(runId));
        Assert.Equal(called, calls.Count(call => call.TryGetProperty("replayed", out var replayed) && replayed.GetBoolean()));
        Assert.All(calls, call => Assert.Equal(ServerName, call.GetProperty("server").GetString()));
        Assert.All(calls, call => Assert.False(call.GetProperty("cacheHit").GetBoolean()));
    }

    [LinuxFact]
    public async Task Stdio_TheServerStartedAsAProcess_ServesTheLoop()
    {
        await using var model = TestModelServer.Start(ResearchScript);
        var server = new Dictionary<string, string?>
        {
            ["Command"] = "dotnet",
            ["Arguments:0"] = ResearchServerAssembly(),
            ["Arguments:1"] = "--stdio",
        };
        await StartWorkerAsync(new StepGate(), "w1", Settings(model, server), ResearchMcp);

        var runId = await CreateRunAsync(ResearchMcpAgent.AgentName, """{"question":"What is a checkpoint?"}""");
        var run = await WaitForStatusAsync(runId, RunStatus.Complete);

        var calls = ToolCalls(await LogAsync(runId));
        Assert.Equal(ResearchTools, calls.Select(call => call.GetProperty("tool").GetString()));
        Assert.All(calls, call => Assert.Equal(ServerName, call.GetProperty("server").GetString()));
        // The glossary's answer came over the process's standard output into the step's result.
        Assert.Contains("checkpoint", run.Steps[0].ResultJson, StringComparison.OrdinalIgnoreCase);
    }

    [LinuxFact]
    public async Task ServerDown_IsRetriedAsAnInfrastructureFault_ThenFailsTheRunNamingTheServer()
    {
        await using var model = TestModelServer.Start(ResearchScript);
        var settings = Settings(model, new Dictionary<string, string?> { ["Endpoint"] = $"http://127.0.0.1:{ClosedPort()}/mcp", ["Timeout"] = "00:00:02" });
        settings["Worker:StepRetries"] = "2";
        await StartWorkerAsync(new StepGate(), "w1", settings, ResearchMcp);

        var runId = await CreateRunAsync(ResearchMcpAgent.AgentName, """{"question":"Anyone there?"}""");
        var failed = await WaitForStatusAsync(runId, RunStatus.Failed);

        Assert.Contains("MCP server 'research' is unavailable", failed.Error, StringComparison.Ordinal);
        var log = await LogAsync(runId);
        Assert.Equal(2, log.Count(entry => entry.Action == LogActions.StepRetry));
        Assert.Empty(ToolCalls(log));
        // The model was never asked: without tools there is no loop to start.
        Assert.Empty(model.Requests);
    }

    [LinuxFact]
    public async Task ToolErrorFromTheServer_IsAStepError_WithTheServersMessage()
    {
        static ModelReply EmptyQuery(ModelRequest request) =>
            new("", 20, 5, ToolCalls: [new ModelToolCall("call_1", WebSearchTool.ToolName, """{"query":"   "}""")]);
        await using var mcp = await ResearchMcpHost.StartAsync();
        await using var model = TestModelServer.Start(EmptyQuery);
        var settings = Settings(model, new Dictionary<string, string?> { ["Endpoint"] = mcp.Endpoint.ToString() });
        settings["Worker:StepRetries"] = "1";
        await StartWorkerAsync(new StepGate(), "w1", settings, ResearchMcp);

        var runId = await CreateRunAsync(ResearchMcpAgent.AgentName, """{"question":"Search nothing"}""");
        var failed = await WaitForStatusAsync(runId, RunStatus.Failed);

        Assert.Contains("Tool 'web_search' of MCP server 'research' failed", failed.Error, StringComparison.Ordinal);
        Assert.Contains("query must not be empty", failed.Error, StringComparison.Ordinal);
        Assert.Equal(2, mcp.TotalCalls);
    }

    private static List<JsonElement> ToolCalls(IEnumerable<LogEntry> log) =>
        log.Where(entry => entry.Action == LogActions.ToolCall).Select(entry => JsonDocument.Parse(entry.DetailsJson).RootElement).ToList();

    // The server's build output sits beside the test's, under the same configuration and framework.
    private static string ResearchServerAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AgentAspire.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("The repository root was not found above the test's output."),
            "McpResearchServer", "bin", configuration, framework, "AgentAspire.McpResearchServer.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The research MCP server is not built at {path}.");
    }

    private static int ClosedPort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
