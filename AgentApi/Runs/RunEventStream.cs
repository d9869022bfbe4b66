using System.Buffers;
using System.Text;
using System.Text.Json;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentApi.Runs;

/// <summary>
/// A run's activity log as Server-Sent Events: headers at once, one event per entry (id = stream id, type = action),
/// a comment every <see cref="AgentApiOptions.EventsHeartbeat"/> while nothing happens, and the end of the stream
/// after the entry that ends the run. Waiting costs no Valkey command: the tail wakes on pub/sub.
/// </summary>
internal sealed class RunEventStream(string runId, string? after, bool runHasEnded) : IResult
{
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var log = services.GetRequiredService<ActivityLog>();
        var store = services.GetRequiredService<RunStore>();
        var heartbeat = services.GetRequiredService<IOptions<AgentApiOptions>>().Value.EventsHeartbeat;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        // Proxies such as nginx would otherwise hold events back.
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // A client that saw the end of a finished run gets an empty, closed stream.
        if (runHasEnded && (await log.ReadAsync(runId, after, 1).ConfigureAwait(false)).Entries.Count == 0)
        {
            return;
        }

        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tail = log.TailAsync(runId, after, stop.Token).GetAsyncEnumerator(stop.Token);
        Task<bool>? next = null;
        try
        {
            while (true)
            {
                next ??= tail.MoveNextAsync().AsTask();
                if (await Task.WhenAny(next, Task.Delay(heartbeat, cancellationToken)).ConfigureAwait(false) != next)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await response.Body.WriteAsync(Heartbeat, cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var more = await next.ConfigureAwait(false);
                next = null;
                if (!more)
                {
                    return;
                }

                var entry = tail.Current;
                await WriteAsync(response, entry, json, cancellationToken).ConfigureAwait(false);
                // A resumed run logs on after its end: only an end that still holds closes the stream.
                if (RunStatus.IsFinal(entry.Action) && RunStatus.IsFinal((await store.GetAsync(runId).ConfigureAwait(false))?.Status ?? entry.Action))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await EndAsync(tail, next).ConfigureAwait(false);
        }
    }

    // An async iterator cannot be disposed while a MoveNextAsync is pending: let the cancelled wait finish first.
    private static async Task EndAsync(IAsyncEnumerator<LogEntry> tail, Task<bool>? pending)
    {
        if (pending is not null)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected: the request was aborted.
            }
        }

        await tail.DisposeAsync().ConfigureAwait(false);
    }

    // One event: "id", "event" and a single "data" line; compact JSON never holds a line break.
    private static async Task WriteAsync(HttpResponse response, LogEntry entry, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(Encoding.UTF8.GetBytes($"id: {entry.Id}\nevent: {EventType(entry.Action)}\ndata: "));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, RunsApi.ToLogEntry(entry), json);
        }

        buffer.Write("\n\n"u8);
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    // An event type is one line; anything else is sent as a plain log event.
    private static string EventType(string action) =>
        action.Length == 0 || action.AsSpan().IndexOfAny('\r', '\n') >= 0 ? "log" : action;
}
