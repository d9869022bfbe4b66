using System.Collections.Concurrent;
using System.Diagnostics;
using AgentAspire.Agents;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.Agents.Tests;

/// <summary>
/// The model spans the worker's chat client emits for the dashboard's GenAI view: the gen_ai conventions with model and
/// usage always, and the prompt and answer only when <c>Models:RecordContent</c> is on.
/// </summary>
public sealed class ChatTelemetryTests
{
    private const string Prompt = "Which Valkey type keeps an ordered activity log?";

    private static readonly ModelReply Answer = new("A stream keeps it in order.", InputTokens: 42, OutputTokens: 7);

    [Fact]
    public async Task A_model_call_is_a_gen_ai_span_with_its_model_and_usage_and_no_content_by_default()
    {
        var span = await TraceOneCallAsync(recordContent: null);

        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(42, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(7, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(Prompt, Recorded(span), StringComparison.Ordinal);
        Assert.DoesNotContain(Answer.Text, Recorded(span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_record_content_on_the_span_holds_the_prompt_and_the_answer()
    {
        var span = await TraceOneCallAsync(recordContent: "true");

        Assert.Contains(Prompt, Recorded(span), StringComparison.Ordinal);
        Assert.Contains(Answer.Text, Recorded(span), StringComparison.Ordinal);
    }

    // Calls a model server once through the client the services build, and returns the one span of that call: the
    // model name is unique to the call, since the listener also hears the other tests of this process.
    private static async Task<Activity> TraceOneCallAsync(string? recordContent)
    {
        var model = $"model{Guid.NewGuid():N}";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "AgentAspire.Agents",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = TestModelServer.Start(_ => Answer);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:llm"] = server.OpenAIConnectionString(model),
            [AgentsServiceCollectionExtensions.RecordContentSetting] = recordContent,
        }).Build();
        await using var services = new ServiceCollection().AddAgentChatClient(configuration).BuildServiceProvider();

        await services.GetRequiredService<IChatClient>().GetResponseAsync(Prompt, cancellationToken: TestContext.Current.CancellationToken);

        return Assert.Single(spans, span => Equals(span.GetTagItem("gen_ai.request.model"), model));
    }

    // Everything a span carries as text: its tags and its events' tags, where the conventions have put content.
    private static string Recorded(Activity span) => string.Join("\n",
        span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}")
            .Concat(span.Events.SelectMany(e => e.Tags.Select(tag => $"{e.Name}.{tag.Key}={tag.Value}"))));
}
