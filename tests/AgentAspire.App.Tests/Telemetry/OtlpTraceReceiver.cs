using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AgentAspire.LocalValkey;

namespace AgentAspire.App.Tests.Telemetry;

/// <summary>
/// A tiny OTLP/HTTP (protobuf) endpoint on loopback that keeps every span the services export, so a test can
/// assert on real traces. Point services at it with OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf.
/// </summary>
internal sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly Task _serving;

    public OtlpTraceReceiver()
    {
        Endpoint = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Endpoint { get; }

    public IReadOnlyCollection<ExportedSpan> Spans => _spans;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in ExportedSpan.ReadExportRequest(body.ToArray()))
                {
                    _spans.Enqueue(span);
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ConfigureAwait(false);
    }
}
