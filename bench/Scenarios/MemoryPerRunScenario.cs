using AgentAspire.AgentState;
using AgentAspire.AgentState.Scripting;
using AgentAspire.Bench.Measuring;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>Bytes the server holds per completed 3-step run (INFO used_memory before and after), the product's and the cookbook's.</summary>
internal sealed class MemoryPerRunScenario : IScenario
{
    public string Group => "memory";

    public string Name => "bytes in Valkey per completed run";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var runs = context.Smoke ? 200 : 5_000;
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await using var services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        await services.Queue.EnsureGroupAsync().ConfigureAwait(false);
        var db = connection.GetDatabase();
        var server = BenchContext.Server(connection);
        await CookbookAgent.SeedToolCacheAsync(db).ConfigureAwait(false);

        var cookbook = await BytesPerRunAsync(server, runs, () => CookbookAgent.RunAsync(db, RunIds.NewRunId())).ConfigureAwait(false);
        var product = await BytesPerRunAsync(server, runs, () => RunOnce.WholeLifeAsync(services, "bench")).ConfigureAwait(false);
        return new ScenarioResult(Group, Name)
            .Add("agentstate_bytes_per_run", product)
            .Add("cookbook_bytes_per_run", cookbook)
            .Add("runs", runs);
    }

    private static async Task<double> BytesPerRunAsync(IServer server, int runs, Func<Task> run)
    {
        var before = await ServerSnapshot.TakeAsync(server).ConfigureAwait(false);
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Interlocked.Increment(ref done) <= runs)
            {
                await run().ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        var after = await ServerSnapshot.TakeAsync(server).ConfigureAwait(false);
        return (after.UsedMemory - before.UsedMemory) / (double)runs;
    }
}
