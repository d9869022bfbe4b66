using AgentAspire.AgentState;
using AgentAspire.Bench.Measuring;
using Microsoft.Agents.AI.Workflows;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>Agent Framework's in-memory checkpoint manager, one per lane (it is not thread-safe); bytes are heap growth after a full GC.</summary>
internal sealed class InMemoryCheckpointScenario(int concurrency) : WorkflowCheckpointScenario(concurrency)
{
    public const string StoreName = "in-memory store";

    private CheckpointManager[] _managers = [];

    protected override string Store => StoreName;

    protected override Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns)
    {
        _managers = Enumerable.Range(0, Concurrency).Select(_ => CheckpointManager.CreateInMemory()).ToArray();
        return Task.CompletedTask;
    }

    protected override async Task<bool> RunOneAsync(int lane)
    {
        await NoOpWorkflow.RunAsync(_managers[lane], RunIds.NewRunId()).ConfigureAwait(false);
        return true;
    }

    // The managers hold every checkpoint: what the heap keeps after a full collection is theirs.
    protected override Task<long?> StoredBytesAsync(ServerSnapshot snapshot) => Task.FromResult<long?>(GC.GetTotalMemory(forceFullCollection: true));

    protected override ValueTask CleanUpAsync()
    {
        _managers = [];
        return ValueTask.CompletedTask;
    }
}
