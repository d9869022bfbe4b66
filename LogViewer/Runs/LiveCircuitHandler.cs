using Microsoft.AspNetCore.Components.Server.Circuits;

namespace AgentAspire.LogViewer.Runs;

/// <summary>
/// Stops a circuit's live reads the moment its connection drops (a tab closed without a goodbye, a laptop asleep), not
/// when the server gives up on the circuit minutes later, and resumes them if the same tab reconnects.
/// </summary>
public sealed class LiveCircuitHandler(CircuitLogWatches watches) : CircuitHandler
{
    /// <inheritdoc />
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => watches.ConnectionDownAsync();

    /// <inheritdoc />
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken) => watches.ConnectionUpAsync();
}
