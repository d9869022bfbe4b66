using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using AgentAspire.Agents.Text;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Chat;

/// <summary>
/// A deterministic chat model for running with no key and no network: it answers with the sentences of the
/// last user message that share the most keywords with that message's first paragraph (the question).
/// </summary>
/// <param name="timeProvider">Stamps responses; the system clock when omitted.</param>
public sealed class OfflineChatClient(TimeProvider? timeProvider = null) : IChatClient
{
    /// <summary>The model id every response carries.</summary>
    public const string ModelId = "offline";

    /// <summary>How many sentences an answer holds at most.</summary>
    public const int MaxAnswerSentences = 3;

    private static readonly ChatClientMetadata Metadata = new(providerName: "offline", providerUri: null, defaultModelId: ModelId);

    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var history = messages.ToArray();
        var prompt = history.LastOrDefault(message => message.Role == ChatRole.User)?.Text ?? string.Empty;
        if (OfflineToolUse.NextCall(history, options) is { } call)
        {
            return Task.FromResult(Reply(history, new ChatMessage(ChatRole.Assistant, [call]), ChatFinishReason.ToolCalls));
        }

        var answer = Answer(OfflineToolUse.WithToolResults(prompt, history));
        return Task.FromResult(Reply(history, new ChatMessage(ChatRole.Assistant, answer), ChatFinishReason.Stop));
    }

    // Usage counts words, as a stand-in for tokens: enough for budgets and cost to work offline.
    private ChatResponse Reply(ChatMessage[] history, ChatMessage answer, ChatFinishReason finishReason)
    {
        var inputTokens = history.Sum(message => (long)Words.Split(OfflineToolUse.TextOf(message)).Count());
        var outputTokens = (long)Words.Split(OfflineToolUse.TextOf(answer)).Count();
        return new ChatResponse(answer)
        {
            ModelId = ModelId,
            ResponseId = ResponseIdOf(history),
            CreatedAt = _timeProvider.GetUtcNow(),
            FinishReason = finishReason,
            Usage = new UsageDetails
            {
                InputTokenCount = inputTokens,
                OutputTokenCount = outputTokens,
                TotalTokenCount = inputTokens + outputTokens,
            },
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return Metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>The answer to one prompt: its first paragraph is the question, the rest the material to pick sentences from.</summary>
    internal static string Answer(string prompt)
    {
        var normalized = prompt.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var split = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        var question = split < 0 ? normalized : normalized[..split].Trim();
        var material = split < 0 ? string.Empty : normalized[(split + 2)..];
        var sentences = Words.Sentences(material).Distinct(StringComparer.Ordinal).ToArray();
        if (sentences.Length == 0)
        {
            return question;
        }

        var questionTerms = Words.Terms(question).ToHashSet(StringComparer.Ordinal);
        var ranked = sentences
            .Select((sentence, index) => (sentence, index, shared: Words.Terms(sentence).Distinct(StringComparer.Ordinal).Count(questionTerms.Contains)))
            .ToArray();
        var relevant = ranked.Where(candidate => candidate.shared > 0).ToArray();
        var chosen = (relevant.Length > 0 ? relevant : ranked)
            .OrderByDescending(candidate => candidate.shared)
            .ThenBy(candidate => candidate.index)
            .Take(MaxAnswerSentences)
            .OrderBy(candidate => candidate.index)
            .Select(candidate => candidate.sentence);
        return string.Join(' ', chosen);
    }

    // Same messages, same id: lets a reader tell two identical answers apart from two different ones.
    private static string ResponseIdOf(IEnumerable<ChatMessage> history)
    {
        var transcript = string.Join('\n', history.Select(message => $"{message.Role.Value}:{OfflineToolUse.TextOf(message)}"));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(transcript));
        return $"offline-{Convert.ToHexStringLower(hash)[..16]}";
    }
}
