using AgentAspire.AgentState;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>The cookbook's 13 plain commands per run (<see cref="CookbookAgent"/>) on its own client.</summary>
internal sealed class CookbookRunScenario(int concurrency) : RunLifeScenario(concurrency)
{
    private IDatabase _db = null!;
    private string _lastRun = "";

    public override string Name => $"cookbook c={Concurrency}";

    protected override async Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns)
    {
        _db = connection.GetDatabase();
        await CookbookAgent.SeedToolCacheAsync(_db).ConfigureAwait(false);
    }

    protected override async Task<bool> RunOneAsync(int lane)
    {
        var runId = RunIds.NewRunId();
        await CookbookAgent.RunAsync(_db, runId).ConfigureAwait(false);
        _lastRun = runId;
        return true;
    }

    protected override async Task VerifyAsync(ConnectionMultiplexer connection, long runs)
    {
        var status = await _db.HashGetAsync($"agent:state:{_lastRun}", "status").ConfigureAwait(false);
        if (status != "complete")
        {
            throw new InvalidOperationException($"The cookbook's run {_lastRun} ended with status '{status}'.");
        }
    }
}
