using AgentAspire.AppAgents;
using AgentAspire.Agents.Chat;
using AgentAspire.Agents.Research;
using AgentAspire.Agents.Research.Tools;
using AgentAspire.Agents.ResearchLoop;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OllamaSharp;

namespace AgentAspire.Agents.Tests;

public sealed class AgentServiceRegistrationTests
{
    private static ServiceProvider BuildWithLlm(string? connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(connectionString is null ? [] : [new("ConnectionStrings:llm", connectionString)])
            .Build();
        var services = new ServiceCollection();
        services.AddAppAgents();
        return services.AddAgentChatClient(configuration).BuildServiceProvider();
    }

    [Fact]
    public void AddAppAgents_registers_the_research_agents_of_every_kind_in_the_catalog_and_their_three_tools_once()
    {
        var collection = new ServiceCollection();
        collection.AddAppAgents();
        collection.AddAppAgents();
        using var services = collection.BuildServiceProvider();

        var catalog = services.GetRequiredService<AgentCatalog>();
        var tools = services.GetServices<IAgentTool>().ToDictionary(tool => tool.Name, tool => tool.Ttl);

        Assert.Equal([ResearchAgent.AgentName, ResearchLoopAgent.AgentName, "research-mcp", "research-workflow"], catalog.All.Select(agent => agent.Name));
        Assert.Equal(
            new Dictionary<string, TimeSpan>
            {
                ["web_search"] = TimeSpan.FromMinutes(5),
                ["text_stats"] = TimeSpan.FromHours(1),
                ["lookup_glossary"] = TimeSpan.FromHours(24),
            },
            tools);
    }

    [Fact]
    public void A_tool_is_one_instance_under_its_own_type_and_as_a_tool()
    {
        var collection = new ServiceCollection();
        collection.AddAppAgents();
        using var services = collection.BuildServiceProvider();

        var webSearch = services.GetRequiredService<WebSearchTool>();

        Assert.Same(webSearch, services.GetServices<IAgentTool>().OfType<WebSearchTool>().Single());
    }

    [Fact]
    public void The_app_registers_each_agent_with_its_kind_and_the_runner_of_every_kind_but_steps_with_it()
    {
        var collection = new ServiceCollection();
        collection.AddAppAgents();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetRequiredService<AgentCatalog>().All.ToDictionary(agent => agent.Name, agent => agent.Kind);
        var runners = collection.Where(service => service.ServiceType == typeof(Running.IAgentRunner)).Select(service => service.ImplementationType?.Name);

        Assert.Equal(new Dictionary<string, string> { ["research"] = AgentKinds.Steps, ["research-loop"] = AgentKinds.Steps, ["research-mcp"] = AgentKinds.Steps, ["research-workflow"] = "workflow" }, kinds);
        // The worker brings the steps kind's runner; the workflow kind's comes with its agent.
        Assert.Equal(["WorkflowRunner"], runners);
    }

    [Fact]
    public void Every_agent_of_the_app_declares_an_example_input_that_it_accepts()
    {
        var collection = new ServiceCollection();
        collection.AddAppAgents();
        using var services = collection.BuildServiceProvider();

        Assert.All(services.GetRequiredService<AgentCatalog>().All, agent =>
        {
            var example = Assert.NotNull(agent.ExampleInput);
            agent.ReadInput(example);
        });
    }

    [Fact]
    public void An_agent_of_another_kind_is_added_with_a_factory_and_listed_with_its_kind()
    {
        var collection = new ServiceCollection();
        collection.AddAgents().AddAgent(_ => new OtherKindAgent());
        using var services = collection.BuildServiceProvider();

        Assert.True(services.GetRequiredService<AgentCatalog>().TryGet("other", out var agent));
        Assert.Equal("other-kind", agent.Kind);
    }

    [Fact]
    public void An_agent_whose_tool_is_not_registered_fails_when_the_catalog_is_built()
    {
        var collection = new ServiceCollection();
        collection.AddAgents().AddAgent<ResearchAgent>().AddTool<WebSearchTool>();
        using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<AgentCatalog>());

        Assert.Contains(nameof(TextStatsTool), error.Message, StringComparison.Ordinal);
    }

    private sealed class OtherKindAgent : IAgent
    {
        public string Name => "other";

        public string Description => "An agent of a kind this library does not define.";

        public string Kind => "other-kind";

        public IReadOnlyList<string> StepNames => [];

        public System.Text.Json.JsonElement? ExampleInput => null;

        public object ReadInput(System.Text.Json.JsonElement input) => input;
    }

    [Fact]
    public async Task Chooses_the_offline_client_without_a_connection_string()
    {
        using var services = BuildWithLlm(null);

        var chat = services.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync("hello offline", cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(chat.GetService<OfflineChatClient>());
        Assert.Equal("offline", response.ModelId);
    }

    [Fact]
    public void Chooses_an_openai_compatible_client_for_an_endpoint_key_and_model()
    {
        using var services = BuildWithLlm("Endpoint=https://models.example.test/v1;Key=secret;Model=gpt-test");

        var metadata = services.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();

        Assert.Equal("openai", metadata?.ProviderName);
        Assert.Equal("gpt-test", metadata?.DefaultModelId);
        Assert.Null(services.GetRequiredService<IChatClient>().GetService<OfflineChatClient>());
    }

    [Fact]
    public void Chooses_an_ollama_client_for_the_ollama_provider()
    {
        using var services = BuildWithLlm("Endpoint=http://localhost:11434;Model=llama3.2;Provider=ollama");

        var chat = services.GetRequiredService<IChatClient>();

        Assert.NotNull(chat.GetService<OllamaApiClient>());
        Assert.Equal("llama3.2", chat.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [Theory]
    [InlineData("Model=gpt-test", "no Endpoint=")]
    [InlineData("Endpoint=https://models.example.test/v1", "no Model=")]
    [InlineData("Endpoint=not a url;Model=m", "not an absolute http or https address")]
    [InlineData("Endpoint=http://localhost:1;Model=m;Provider=carrier-pigeon", "Provider 'carrier-pigeon' is unknown")]
    public void Refuses_a_malformed_connection_string_at_registration_without_echoing_it(string connectionString, string expectedMessage)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("ConnectionStrings:llm", connectionString + ";Key=secret-value")])
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddAgentChatClient(configuration));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_connection_string_parts_regardless_of_key_case()
    {
        var connection = LlmConnection.Parse("endpoint=http://localhost:11434;model=llama3.2;provider=Ollama");

        Assert.Equal(new LlmConnection(LlmProvider.Ollama, new Uri("http://localhost:11434"), "llama3.2", Key: null), connection);
    }
}
