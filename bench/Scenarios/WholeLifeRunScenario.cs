using AgentAspire.AgentState;
using AgentAspire.AgentState.Scripting;
using AgentAspire.Bench.Measuring;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>The product's whole life of a run through AgentState: create and queue, read, claim, three commits, acknowledge.</summary>
internal sealed class WholeLifeRunScenario(int concurrency) : RunLifeScenario(concurrency)
{
    private AgentStateServices _services = null!;

    public override string Name => $"AgentState whole life c={Concurrency}";

    protected override async Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns)
    {
        _services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        await _services.Queue.EnsureGroupAsync().ConfigureAwait(false);
    }

    protected override async Task<bool> RunOneAsync(int lane)
    {
        await RunOnce.WholeLifeAsync(_services, "bench").ConfigureAwait(false);
        return true;
    }

    protected override async Task VerifyAsync(ConnectionMultiplexer connection, long runs)
    {
        var pending = await ShardedKeys.PendingAsync(connection.GetDatabase()).ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
        if (pending != 0)
        {
            throw new InvalidOperationException($"{pending} queue entries are left unacknowledged after every run completed.");
        }
    }
}
