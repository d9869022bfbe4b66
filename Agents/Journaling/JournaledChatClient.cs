using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Journaling;

/// <summary>
/// The chat model as a step sees it (<see cref="StepContext.Chat"/>): every call goes through the step's
/// <see cref="StepJournal"/>, so an answer is recorded before the step uses it and a step run again is answered from
/// the record. A streamed call is answered whole and then streamed: nothing unrecorded reaches the step.
/// </summary>
/// <param name="inner">The model.</param>
/// <param name="journal">The step's journal.</param>
public sealed class JournaledChatClient(IChatClient inner, StepJournal journal) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        journal.CallModelAsync(InnerClient, messages, options, cancellationToken);

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
