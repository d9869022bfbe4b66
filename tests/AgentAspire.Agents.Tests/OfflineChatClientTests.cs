using AgentAspire.Agents.Chat;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Tests;

public sealed class OfflineChatClientTests
{
    private static readonly ChatMessage[] Prompt =
    [
        new(ChatRole.System, "Answer briefly."),
        new(ChatRole.User, """
            Question: How do Valkey streams keep order?

            Hashes map fields to values. Streams append entries with increasing ids. Valkey streams keep order by id. Pub/sub stores nothing.
            """),
    ];

    [Fact]
    public async Task Answers_the_same_messages_with_the_same_text_and_id()
    {
        using var client = new OfflineChatClient();

        var first = await client.GetResponseAsync(Prompt, cancellationToken: TestContext.Current.CancellationToken);
        var second = await client.GetResponseAsync(Prompt, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.ResponseId, second.ResponseId);
    }

    [Fact]
    public async Task Answers_with_the_material_sentences_that_share_keywords_with_the_question_in_original_order()
    {
        using var client = new OfflineChatClient();

        var response = await client.GetResponseAsync(Prompt, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Streams append entries with increasing ids. Valkey streams keep order by id.", response.Text);
    }

    [Fact]
    public async Task Answers_different_questions_differently()
    {
        using var client = new OfflineChatClient();
        var other = new ChatMessage(ChatRole.User, Prompt[1].Text.Replace("How do Valkey streams keep order?", "What do hashes map?", StringComparison.Ordinal));

        var response = await client.GetResponseAsync([other], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Hashes map fields to values.", response.Text);
    }

    [Fact]
    public async Task Reports_the_offline_model_and_word_counts_as_token_usage()
    {
        var now = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var client = new OfflineChatClient(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "three little words")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("offline", response.ModelId);
        Assert.Equal(now, response.CreatedAt);
        Assert.Equal("three little words", response.Text);
        Assert.Equal(3, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(6, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task Echoes_markup_in_the_question_verbatim()
    {
        using var client = new OfflineChatClient();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Is <script>alert(1)</script> safe?")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Is <script>alert(1)</script> safe?", response.Text);
    }

    [Fact]
    public async Task Streams_the_same_text_as_the_whole_response()
    {
        using var client = new OfflineChatClient();

        var whole = await client.GetResponseAsync(Prompt, cancellationToken: TestContext.Current.CancellationToken);
        var streamed = await client.GetStreamingResponseAsync(Prompt, cancellationToken: TestContext.Current.CancellationToken).ToChatResponseAsync(TestContext.Current.CancellationToken);

        Assert.Equal(whole.Text, streamed.Text);
    }
}
