using AgentAspire.LocalValkey;

namespace AgentAspire.Fault.Tests;

/// <summary>
/// A private <c>valkey-server</c> with AOF on (<c>appendfsync everysec</c>, the product's default), on a free loopback
/// port and a temp dir. It can be killed with SIGKILL and started again on the same port from its AOF.
/// </summary>
/// <remarks>
/// The port lies below the kernel's ephemeral range (<see cref="LoopbackPorts.Free"/>): while the server is down,
/// clients keep connecting to its port, and a port inside that range could be handed to one of them as its own
/// source port, so the server, started again, would fail to bind it.
/// </remarks>
internal sealed class FaultValkey : IAsyncDisposable
{
    private LocalValkeyServer? _server;

    public string Directory => Server.Directory;

    /// <summary>The connection string a service gets (StackExchange.Redis syntax).</summary>
    public string ConnectionString => Server.ConnectionString("abortConnect=false,connectTimeout=2000,asyncTimeout=3000,syncTimeout=3000");

    private LocalValkeyServer Server => _server ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>Starts the server (again, after <see cref="KillAsync"/>) and waits until it answers; throws with its log if it does not.</summary>
    public async Task StartAsync()
    {
        if (_server is null)
        {
            _server = await LocalValkeyServer.StartAsync(new LocalValkeyOptions
            {
                AppendOnly = true,
                AppendFsync = "everysec",
                DirectoryPrefix = "agent-fault-",
            }).ConfigureAwait(false);
            return;
        }

        await _server.RestartAsync().ConfigureAwait(false);
    }

    /// <summary>SIGKILL: no shutdown, no final save; what survives is what the AOF already holds.</summary>
    public Task KillAsync() => _server?.KillAsync() ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
