using System.Net;
using System.Text;
using AgentAspire.Loopback;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// A minimal OpenAI-compatible model on loopback (<c>POST /v1/chat/completions</c>): every request gets the same
/// answer, a tool call with its usage, the shape of a model-loop turn. It does no work of its own, so a call's
/// latency is the client's and the HTTP round trip's, and what journaling adds stands out against it.
/// </summary>
internal sealed class ChatCompletionsResponder : IAsyncDisposable
{
    private static readonly byte[] Completion = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-bench","object":"chat.completion","created":1767225600,"model":"bench-model",
         "choices":[{"index":0,"message":{"role":"assistant","content":"",
           "tool_calls":[{"id":"call_1","type":"function","function":{"name":"web_search","arguments":"{\"query\":\"how does a run resume after a crash\"}"}}]},
           "finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":420,"completion_tokens":24,"total_tokens":444,"prompt_tokens_details":{"cached_tokens":256}}}
        """);

    private readonly LoopbackHttpServer _server;
    private long _requests;

    private ChatCompletionsResponder() => _server = LoopbackHttpServer.Start(AnswerAsync);

    /// <summary>The server's address, ending in a slash.</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>How many chat requests it answered.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public static ChatCompletionsResponder Start() => new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/v1/chat/completions")
        {
            response.StatusCode = 404;
            return;
        }

        // The request is read whole, as a real server would before answering.
        await context.Request.InputStream.CopyToAsync(Stream.Null).ConfigureAwait(false);
        Interlocked.Increment(ref _requests);
        response.ContentType = "application/json";
        response.ContentLength64 = Completion.Length;
        await response.OutputStream.WriteAsync(Completion).ConfigureAwait(false);
    }
}
