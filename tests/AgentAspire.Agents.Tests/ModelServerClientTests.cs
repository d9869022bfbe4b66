using System.Text.Json;
using AgentAspire.Agents;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.Agents.Tests;

/// <summary>
/// The chat clients the <c>llm</c> connection string selects (OpenAI-compatible and Ollama), built as the services
/// build them and talking over HTTP to a model server the test starts: plain and streamed answers, usage, tool calls.
/// </summary>
public sealed class ModelServerClientTests
{
    private static readonly ModelReply Answer = new("Streams keep the log in order.", InputTokens: 42, OutputTokens: 7, CachedInputTokens: 12);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => ["openai", "ollama"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_plain_answer_arrives_with_its_model_and_usage(string provider)
    {
        await using var server = TestModelServer.Start(_ => Answer);
        var chat = ChatClientFor(server, provider);

        var response = await chat.GetResponseAsync("How do streams keep an activity log?", cancellationToken: Cancel);

        Assert.Equal(Answer.Text, response.Text);
        Assert.Equal(42, response.Usage?.InputTokenCount);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("test-model", request.Model);
        Assert.Equal("How do streams keep an activity log?", request.LastUserText);
        Assert.Equal(provider == "openai" ? "Bearer test-key" : null, request.Authorization);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_streamed_answer_arrives_whole_with_its_usage(string provider)
    {
        await using var server = TestModelServer.Start(_ => Answer);
        var chat = ChatClientFor(server, provider);

        var response = await chat.GetStreamingResponseAsync("How do streams keep an activity log?", cancellationToken: Cancel).ToChatResponseAsync(Cancel);

        Assert.Equal(Answer.Text, response.Text);
        Assert.Equal(42, response.Usage?.InputTokenCount);
        Assert.Equal(7, response.Usage?.OutputTokenCount);
        Assert.True(Assert.Single(server.Requests).Stream);
    }

    [Fact]
    public async Task Cached_input_tokens_reported_by_an_openai_compatible_server_arrive()
    {
        await using var server = TestModelServer.Start(_ => Answer);

        var response = await ChatClientFor(server, "openai").GetResponseAsync("Hello", cancellationToken: Cancel);

        Assert.Equal(12, response.Usage?.CachedInputTokenCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Offered_tools_reach_the_server_and_its_tool_calls_come_back_as_function_calls(string provider)
    {
        var call = new ModelToolCall("call_1", "web_search", """{"query":"valkey streams"}""");
        await using var server = TestModelServer.Start(_ => new ModelReply("", InputTokens: 30, OutputTokens: 5, ToolCalls: [call]));
        var chat = ChatClientFor(server, provider);
        var search = AIFunctionFactory.Create((string query) => query, "web_search", "Search the documentation.");

        var response = await chat.GetResponseAsync("Find out about streams.", new ChatOptions { Tools = [search] }, Cancel);

        Assert.Equal(["web_search"], Assert.Single(server.Requests).ToolNames);
        var requested = Assert.Single(response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>());
        Assert.Equal("web_search", requested.Name);
        Assert.Equal("valkey streams", ((JsonElement)requested.Arguments!["query"]!).GetString());
    }

    private static IChatClient ChatClientFor(TestModelServer server, string provider)
    {
        var connectionString = provider == "openai" ? server.OpenAIConnectionString() : server.OllamaConnectionString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("ConnectionStrings:llm", connectionString)]).Build();
        return new ServiceCollection().AddAgentChatClient(configuration).BuildServiceProvider().GetRequiredService<IChatClient>();
    }
}
