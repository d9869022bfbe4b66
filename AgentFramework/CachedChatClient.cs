using System.Text.Json;
using AgentAspire.AgentState.Tools;
using Microsoft.Extensions.AI;

namespace AgentAspire.AgentFramework;

/// <summary>
/// Caches chat answers in the tool cache under the tool name <c>chat</c>: the same messages and options within the
/// TTL give the same answer without a model call, and concurrent identical calls wait for one (stampede protection).
/// Streaming calls pass through uncached.
/// </summary>
/// <param name="inner">The chat model.</param>
/// <param name="cache">The tool cache.</param>
/// <param name="ttl">How long an answer stays cached; at least one second.</param>
public sealed class CachedChatClient(IChatClient inner, ToolCache cache, TimeSpan ttl) : DelegatingChatClient(inner)
{
    /// <summary>The tool name chat answers are cached under.</summary>
    public const string ToolName = "chat";

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var request = JsonSerializer.Serialize(new { messages = list, options }, AIJsonUtilities.DefaultOptions);
        var cached = await cache.GetOrComputeAsync(ToolName, request, ttl, async ct =>
        {
            var response = await base.GetResponseAsync(list, options, ct).ConfigureAwait(false);
            return JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
        }, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<ChatResponse>(cached.ResultJson, AIJsonUtilities.DefaultOptions)
            ?? throw new InvalidOperationException("A cached chat answer could not be read.");
    }
}
