using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentAspire.Loopback;

namespace AgentAspire.Tests;

/// <summary>
/// A small model server on loopback that speaks the two protocols the <c>llm</c> connection string selects:
/// OpenAI's chat completions (<c>POST /v1/chat/completions</c>, plain or streamed as Server-Sent Events, with tool
/// calls and usage) and Ollama's chat (<c>POST /api/chat</c>, plain or streamed as JSON lines). Tests talk to it
/// instead of a real provider: it answers what <c>reply</c> says and counts every request it gets.
/// </summary>
internal sealed class TestModelServer : IAsyncDisposable
{
    private readonly Func<ModelRequest, ModelReply> _reply;
    private readonly List<ModelRequest> _requests = [];
    private readonly LoopbackHttpServer _server;

    private TestModelServer(Func<ModelRequest, ModelReply> reply)
    {
        _reply = reply;
        _server = LoopbackHttpServer.Start(AnswerAsync);
    }

    /// <summary>The server's address, ending in a slash.</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>The requests received so far, in order.</summary>
    public IReadOnlyList<ModelRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a server on a free loopback port; without <paramref name="reply"/> it answers <see cref="DefaultReply"/>.</summary>
    public static TestModelServer Start(Func<ModelRequest, ModelReply>? reply = null) => new(reply ?? DefaultReply);

    /// <summary>An answer that names the request it answers, with token counts derived from the text's length.</summary>
    public static ModelReply DefaultReply(ModelRequest request)
    {
        var question = request.LastUserText;
        var text = $"Answer {request.Number} from {request.Model}: {question[..Math.Min(question.Length, 60)]}";
        return new ModelReply(text, InputTokens: 10 + request.Body.GetRawText().Length / 4, OutputTokens: 1 + text.Length / 4);
    }

    /// <summary>An <c>llm</c> connection string for its OpenAI-compatible endpoint.</summary>
    public string OpenAIConnectionString(string model = "test-model", string key = "test-key") =>
        $"Endpoint={BaseAddress}v1;Key={key};Model={model}";

    /// <summary>An <c>llm</c> connection string for its Ollama endpoint.</summary>
    public string OllamaConnectionString(string model = "test-model") =>
        $"Endpoint={BaseAddress};Model={model};Provider=ollama";

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        var protocol = context.Request.Url?.AbsolutePath switch
        {
            "/v1/chat/completions" or "/chat/completions" => "openai",
            "/api/chat" => "ollama",
            _ => null,
        };
        if (context.Request.HttpMethod != "POST" || protocol is null)
        {
            response.StatusCode = 404;
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.InputStream).ConfigureAwait(false);
        ModelRequest request;
        lock (_requests)
        {
            request = new ModelRequest(_requests.Count + 1, protocol, context.Request.Headers["Authorization"], body.RootElement.Clone());
            _requests.Add(request);
        }

        var reply = _reply(request);
        var created = DateTimeOffset.UtcNow;
        if (protocol == "openai")
        {
            await (request.Stream ? WriteOpenAIStreamAsync(response, request, reply, created) : WriteJsonAsync(response, OpenAICompletion(request, reply, created))).ConfigureAwait(false);
        }
        else
        {
            await (request.Stream ? WriteOllamaStreamAsync(response, request, reply, created) : WriteJsonAsync(response, OllamaMessage(request, reply, created, done: true))).ConfigureAwait(false);
        }
    }

    private static JsonObject OpenAICompletion(ModelRequest request, ModelReply reply, DateTimeOffset created)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text };
        if (reply.Calls.Count > 0)
        {
            message["tool_calls"] = OpenAIToolCalls(reply, withIndex: false);
        }

        return new JsonObject
        {
            ["id"] = $"chatcmpl-{request.Number}",
            ["object"] = "chat.completion",
            ["created"] = created.ToUnixTimeSeconds(),
            ["model"] = request.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = reply.Calls.Count == 0 ? "stop" : "tool_calls",
            }),
            ["usage"] = OpenAIUsage(reply),
        };
    }

    private static async Task WriteOpenAIStreamAsync(HttpListenerResponse response, ModelRequest request, ModelReply reply, DateTimeOffset created)
    {
        response.ContentType = "text/event-stream";
        var half = reply.Text.Length / 2;
        // The text comes in two pieces, the tool calls in one, then the finish reason and, last, the usage.
        JsonObject[] deltas =
        [
            new() { ["role"] = "assistant", ["content"] = reply.Text[..half] },
            new() { ["content"] = reply.Text[half..] },
            .. reply.Calls.Count == 0 ? Array.Empty<JsonObject>() : [new JsonObject { ["tool_calls"] = OpenAIToolCalls(reply, withIndex: true) }],
        ];
        foreach (var delta in deltas)
        {
            await WriteEventAsync(response, OpenAIChunk(request, created, new JsonObject { ["index"] = 0, ["delta"] = delta })).ConfigureAwait(false);
        }

        await WriteEventAsync(response, OpenAIChunk(request, created, new JsonObject
        {
            ["index"] = 0,
            ["delta"] = new JsonObject(),
            ["finish_reason"] = reply.Calls.Count == 0 ? "stop" : "tool_calls",
        })).ConfigureAwait(false);
        var usage = OpenAIChunk(request, created, null);
        usage["usage"] = OpenAIUsage(reply);
        await WriteEventAsync(response, usage).ConfigureAwait(false);
        await response.OutputStream.WriteAsync("data: [DONE]\n\n"u8.ToArray()).ConfigureAwait(false);
    }

    private static JsonObject OpenAIChunk(ModelRequest request, DateTimeOffset created, JsonObject? choice) => new()
    {
        ["id"] = $"chatcmpl-{request.Number}",
        ["object"] = "chat.completion.chunk",
        ["created"] = created.ToUnixTimeSeconds(),
        ["model"] = request.Model,
        ["choices"] = choice is null ? new JsonArray() : new JsonArray(choice),
    };

    private static JsonArray OpenAIToolCalls(ModelReply reply, bool withIndex) => new(reply.Calls.Select((call, index) =>
    {
        var json = new JsonObject
        {
            ["id"] = call.Id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
        };
        if (withIndex)
        {
            json["index"] = index;
        }

        return (JsonNode)json;
    }).ToArray());

    private static JsonObject OpenAIUsage(ModelReply reply) => new()
    {
        ["prompt_tokens"] = reply.InputTokens,
        ["completion_tokens"] = reply.OutputTokens,
        ["total_tokens"] = reply.InputTokens + reply.OutputTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.CachedInputTokens },
    };

    private static JsonObject OllamaMessage(ModelRequest request, ModelReply reply, DateTimeOffset created, bool done, string? text = null)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text ?? reply.Text };
        if (done && reply.Calls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(reply.Calls
                .Select(call => (JsonNode)new JsonObject
                {
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = JsonNode.Parse(call.ArgumentsJson) },
                })
                .ToArray());
        }

        var json = new JsonObject
        {
            ["model"] = request.Model,
            ["created_at"] = created.ToString("O"),
            ["message"] = message,
            ["done"] = done,
        };
        if (done)
        {
            json["done_reason"] = "stop";
            json["prompt_eval_count"] = reply.InputTokens;
            json["eval_count"] = reply.OutputTokens;
            json["total_duration"] = 1_000_000;
        }

        return json;
    }

    private static async Task WriteOllamaStreamAsync(HttpListenerResponse response, ModelRequest request, ModelReply reply, DateTimeOffset created)
    {
        response.ContentType = "application/x-ndjson";
        var half = reply.Text.Length / 2;
        // The text in two pieces; the last line carries the tool calls, the done flag and the counts.
        foreach (var line in new[]
                 {
                     OllamaMessage(request, reply, created, done: false, reply.Text[..half]),
                     OllamaMessage(request, reply, created, done: false, reply.Text[half..]),
                     OllamaMessage(request, reply, created, done: true, text: ""),
                 })
        {
            await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n")).ConfigureAwait(false);
            await response.OutputStream.FlushAsync().ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonAsync(HttpListenerResponse response, JsonObject json)
    {
        response.ContentType = "application/json";
        await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(json.ToJsonString())).ConfigureAwait(false);
    }

    private static async Task WriteEventAsync(HttpListenerResponse response, JsonObject json)
    {
        await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($"data: {json.ToJsonString()}\n\n")).ConfigureAwait(false);
        await response.OutputStream.FlushAsync().ConfigureAwait(false);
    }
}
