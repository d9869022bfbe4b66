using AgentAspire.AgentState;
using AgentAspire.AgentState.Scripting;
using AgentAspire.Bench.Measuring;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>The worker's side only, on runs queued beforehand: read, claim, three commits, acknowledge.</summary>
internal sealed class WorkerSideRunScenario(int concurrency) : RunLifeScenario(concurrency)
{
    private AgentStateServices _services = null!;

    public override string Name => $"AgentState worker side c={Concurrency}";

    protected override async Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns)
    {
        _services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        for (var created = 0; created < expectedRuns; created += 1000)
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(1000, expectedRuns - created))
                .Select(_ => RunOnce.CreateAsync(_services, RunIds.NewRunId()))).ConfigureAwait(false);
        }
    }

    protected override Task<bool> RunOneAsync(int lane) => RunOnce.WorkOneAsync(_services, "bench");

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
