using System.ClientModel;
using AgentAspire.Agents.Chat;
using AgentAspire.Agents.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OllamaSharp;
using OpenAI;

namespace AgentAspire.Agents;

/// <summary>Registers agents, tools and the chat model in a service collection.</summary>
public static class AgentsServiceCollectionExtensions
{
    /// <summary>The name of the connection string that selects the chat model.</summary>
    public const string LlmConnectionName = "llm";

    /// <summary>
    /// Registers the <see cref="AgentCatalog"/>, checked when the host starts, and returns a builder to add agents of
    /// every kind, their runners and tools. The API and the worker register the same agents through the app's one
    /// <c>AddAppAgents()</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder that adds agents and tools.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddAgents()
    ///     .AddAgent&lt;MyAgent&gt;()
    ///     .AddTool&lt;MyTool&gt;();
    /// </code>
    /// </example>
    public static AgentsBuilder AddAgents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentCatalog>();
        // Agents may take tools from MCP servers; only the worker connects (AddMcpToolSources).
        services.TryAddSingleton<McpToolSources>();
        // A badly declared agent stops the app at start, not at its first request or run.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AgentCatalogCheck>());
        return new AgentsBuilder(services);
    }

    /// <summary>The setting that puts prompts and answers into the gen_ai spans (off by default).</summary>
    public const string RecordContentSetting = "Models:RecordContent";

    /// <summary>
    /// Registers the <see cref="IChatClient"/>, traced under the ActivitySource <c>AgentAspire.Agents</c> with the
    /// OpenTelemetry gen_ai conventions (message content only with <see cref="RecordContentSetting"/>), and the price
    /// table of <see cref="ModelPrices.SectionName"/>, refused at startup when malformed.
    /// <c>ConnectionStrings:llm</c> selects an OpenAI-compatible endpoint (<c>Endpoint=https://...;Key=...;Model=...</c>)
    /// or Ollama (<c>Endpoint=http://localhost:11434;Model=llama3.2;Provider=ollama</c>); without one, the deterministic
    /// <see cref="OfflineChatClient"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration holding <c>ConnectionStrings:llm</c>.</param>
    /// <returns>The same service collection.</returns>
    /// <exception cref="InvalidOperationException">The connection string or the price table is malformed; checked here so a bad setting fails at startup.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddAgentChatClient(builder.Configuration);
    /// </code>
    /// </example>
    public static IServiceCollection AddAgentChatClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(LlmConnectionName);
        var connection = string.IsNullOrWhiteSpace(connectionString) ? null : LlmConnection.Parse(connectionString);
        // Read now, so a malformed price table stops the process at startup with every problem named.
        var prices = ModelPrices.Read(configuration);
        var recordContent = configuration.GetValue<bool>(RecordContentSetting);
        services.RemoveAll<ModelPrices>();
        services.AddSingleton(prices);
        services.AddChatClient(provider => connection is null
                ? new OfflineChatClient(provider.GetService<TimeProvider>())
                : CreateChatClient(connection))
            // gen_ai spans and token metrics for the dashboard's GenAI view; prompts and answers only when an operator
            // turns Models:RecordContent on, since they may hold what users wrote.
            .UseOpenTelemetry(sourceName: "AgentAspire.Agents", configure: telemetry => telemetry.EnableSensitiveData = recordContent);
        return services;
    }

    private static IChatClient CreateChatClient(LlmConnection connection) => connection.Provider switch
    {
        LlmProvider.Ollama => new OllamaApiClient(connection.Endpoint, connection.Model),
        // Local OpenAI-compatible servers often take no key, but the client insists on one.
        _ => new OpenAI.Chat.ChatClient(
                connection.Model,
                new ApiKeyCredential(connection.Key ?? "unused"),
                new OpenAIClientOptions { Endpoint = connection.Endpoint })
            .AsIChatClient(),
    };
}
