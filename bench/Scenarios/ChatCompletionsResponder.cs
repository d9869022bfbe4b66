using System.Net;
using System.Net.Sockets;
using System.Text;

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

    private readonly HttpListener _listener;
    private readonly Task _serving;
    private long _requests;

    private ChatCompletionsResponder(HttpListener listener, Uri baseAddress)
    {
        _listener = listener;
        BaseAddress = baseAddress;
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The server's address, ending in a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many chat requests it answered.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public static ChatCompletionsResponder Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            // HttpListener cannot bind port 0 and tell which it got: probe a free port, retry if another process took it.
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseAddress.ToString());
            try
            {
                listener.Start();
                return new ChatCompletionsResponder(listener, baseAddress);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

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
