using System.Net;
using System.Net.Sockets;

namespace AgentAspire.Loopback;

/// <summary>
/// A small HTTP server on a free loopback port that hands every request to one answer function: the ground under
/// the stand-in model servers the benchmark and the tests start instead of a real provider. The test projects
/// compile this file too, so it depends on nothing but the base library.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _answer;
    private readonly Task _serving;

    private LoopbackHttpServer(HttpListener listener, Uri baseAddress, Func<HttpListenerContext, Task> answer)
    {
        _listener = listener;
        _answer = answer;
        BaseAddress = baseAddress;
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The server's address, ending in a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts serving on a free loopback port; each request is answered on its own task.</summary>
    public static LoopbackHttpServer Start(Func<HttpListenerContext, Task> answer)
    {
        for (var attempt = 1; ; attempt++)
        {
            var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseAddress.ToString());
            try
            {
                listener.Start();
                return new LoopbackHttpServer(listener, baseAddress, answer);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between the probe and the bind.
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

    // HttpListener cannot bind port 0 and tell which port it got: the kernel picks one, the retry covers a race.
    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
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

            _ = Task.Run(() => _answer(context));
        }
    }
}
