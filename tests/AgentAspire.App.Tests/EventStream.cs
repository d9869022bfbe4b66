using System.Net;
using System.Net.ServerSentEvents;

namespace AgentAspire.App.Tests;

/// <summary>Reads <c>/runs/{id}/events</c> with the framework's SSE parser.</summary>
internal static class EventStream
{
    /// <summary>Opens the stream of <paramref name="runId"/>, from <paramref name="lastEventId"/> when given; the headers must arrive at once.</summary>
    public static async Task<HttpResponseMessage> OpenAsync(HttpClient api, string runId, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    /// <summary>Every event until <paramref name="until"/> holds, or until the server ends the stream.</summary>
    public static async Task<(List<SseItem<string>> Events, bool Ended)> ReadAsync(
        HttpResponseMessage response, Func<SseItem<string>, bool> until, CancellationToken cancellationToken)
    {
        var events = new List<SseItem<string>>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            events.Add(item);
            if (until(item))
            {
                return (events, false);
            }
        }

        return (events, true);
    }
}
