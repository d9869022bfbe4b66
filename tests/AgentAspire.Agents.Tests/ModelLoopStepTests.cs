using System.Text.Json;
using AgentAspire.Agents.Chat;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.Agents.ResearchLoop;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Tests;

/// <summary>The loop itself, with the offline model and the tools in memory: no worker, no Valkey.</summary>
public sealed class ModelLoopStepTests
{
    private static ResearchLoopAgent Agent() =>
        new(TimeProvider.System, new WebSearchTool(), new TextStatsTool(), new GlossaryTool());

    [Fact]
    public async Task The_offline_model_calls_each_research_tool_once_and_answers_from_their_results()
    {
        var runner = new StepRunner(Agent(), """{"question":"How does a run resume after a crash?"}""");

        await runner.RunAllAsync();

        var result = runner.Result(InvestigateStep.StepName);
        Assert.Equal(4, result.GetProperty("turns").GetInt32());
        Assert.False(result.GetProperty("turnLimitReached").GetBoolean());
        Assert.Equal([WebSearchTool.ToolName, TextStatsTool.ToolName, GlossaryTool.ToolName], runner.Tools.Calls.Select(call => call.Tool));
        Assert.Equal("How does a run resume after a crash?", runner.Tools.Calls[0].Args.GetProperty("query").GetString());
        Assert.Contains("resume", result.GetProperty("answer").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(OfflineChatClient.ModelId, result.GetProperty("model").GetString());
    }

    [Fact]
    public async Task The_loop_stops_at_its_turn_limit_with_what_the_model_had()
    {
        var runner = new StepRunner(Agent(), """{"question":"How does a run resume?","maxTurns":2}""");

        await runner.RunAllAsync();

        var result = runner.Result(InvestigateStep.StepName);
        Assert.Equal(2, result.GetProperty("turns").GetInt32());
        Assert.True(result.GetProperty("turnLimitReached").GetBoolean());
        Assert.Equal(2, runner.Tools.Calls.Count);
    }

    [Fact]
    public async Task The_model_is_offered_every_tool_with_a_schema_from_its_argument_type()
    {
        ChatOptions? offered = null;
        using var spy = new DelegatingSpy(new OfflineChatClient(), options => offered ??= options);
        var runner = new StepRunner(Agent(), """{"question":"Schemas?","maxTurns":1}""", spy);

        await runner.RunAllAsync();

        var tools = Assert.IsType<ChatOptions>(offered).Tools!.OfType<AIFunctionDeclaration>().ToDictionary(tool => tool.Name);
        Assert.Equal([WebSearchTool.ToolName, TextStatsTool.ToolName, GlossaryTool.ToolName], tools.Keys);
        Assert.Equal("string", tools[WebSearchTool.ToolName].JsonSchema.GetProperty("properties").GetProperty("query").GetProperty("type").GetString());
        Assert.Contains("documentation", tools[WebSearchTool.ToolName].Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"question":"q","maxTurns":0}""", "'maxTurns' must be between 1 and 50, got 0.")]
    [InlineData("""{"question":"q","maxTurns":51}""", "'maxTurns' must be between 1 and 50, got 51.")]
    [InlineData("""{"question":"q","turnDelayMs":-1}""", "'turnDelayMs' must be between 0 and 60000, got -1.")]
    public void A_turn_limit_out_of_range_is_refused_before_the_run_starts(string input, string message)
    {
        var error = Assert.Throws<AgentInputException>(() => Agent().ReadInput(JsonDocument.Parse(input).RootElement));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_with_its_own_schema_is_offered_with_it_and_two_tools_of_one_name_are_refused_naming_both()
    {
        ChatOptions? offered = null;
        using var spy = new DelegatingSpy(new OfflineChatClient(), options => offered ??= options);
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement;
        var own = new SchemaTool("weather", schema, "forecasts");

        await new StepRunner(new SchemaLoopAgent([own]), """{"question":"Weather?","maxTurns":1}""", spy).RunAllAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new StepRunner(new SchemaLoopAgent([own, new SchemaTool("weather", schema, "other")]), """{"question":"Weather?","maxTurns":1}""").RunAllAsync());

        var declared = Assert.Single(Assert.IsType<ChatOptions>(offered).Tools!.OfType<AIFunctionDeclaration>());
        Assert.Equal("weather", declared.Name);
        Assert.Equal(schema.GetRawText(), declared.JsonSchema.GetRawText());
        Assert.Contains("two tools named 'weather' (MCP server 'forecasts' and MCP server 'other')", error.Message, StringComparison.Ordinal);
    }

    private sealed class SchemaTool(string name, JsonElement schema, string server) : IAgentTool
    {
        public string Name => name;

        public JsonElement? InputSchema => schema;

        public string? Server => server;

        public TimeSpan Ttl => TimeSpan.Zero;

        public Type ArgumentType => typeof(JsonElement);

        public Type ResultType => typeof(JsonElement);

        public Task<JsonElement> InvokeAsync(JsonElement args, ToolInvocation invocation, CancellationToken cancellationToken) => Task.FromResult(args);
    }

    private sealed class SchemaLoopAgent(IReadOnlyList<IAgentTool> tools) : Agent<ResearchLoopInput>
    {
        public override string Name => "schema-loop";

        public override string Description => "Offers tools that bring their own schemas.";

        public override IReadOnlyList<IAgentStep> Steps { get; } = [new SchemaLoopStep(tools)];

        public override ResearchLoopInput Example => new("Weather?");
    }

    private sealed class SchemaLoopStep(IReadOnlyList<IAgentTool> tools) : Loops.ModelLoopStep<ResearchLoopInput>
    {
        public override string Name => "ask";

        protected override IReadOnlyList<IAgentTool> Tools => tools;

        protected override IEnumerable<ChatMessage> CreateMessages(StepContext context, ResearchLoopInput input) => [new(ChatRole.User, input.Question)];
    }

    private sealed class DelegatingSpy(IChatClient inner, Action<ChatOptions?> seen) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            seen(options);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
