using AgentAspire.AgentState;
using AgentAspire.Bench.Measuring;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Agents.AI.Workflows.Checkpointing;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// Agent Framework's file store, one directory per lane in a temp dir deleted afterwards (a store is exclusive to
/// its process and not thread-safe); bytes are the files written.
/// </summary>
internal sealed class FileCheckpointScenario(int concurrency) : WorkflowCheckpointScenario(concurrency)
{
    public const string StoreName = "file store";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"agentaspire-bench-checkpoints-{Guid.NewGuid():N}");
    private FileSystemJsonCheckpointStore[] _stores = [];
    private CheckpointManager[] _managers = [];

    protected override string Store => StoreName;

    protected override Task PrepareAsync(ConnectionMultiplexer connection, int expectedRuns)
    {
        _stores = Enumerable.Range(0, Concurrency)
            .Select(lane => new FileSystemJsonCheckpointStore(new DirectoryInfo(Path.Combine(_root, $"lane-{lane}"))))
            .ToArray();
        _managers = _stores.Select(store => CheckpointManager.CreateJson(store)).ToArray();
        return Task.CompletedTask;
    }

    protected override async Task<bool> RunOneAsync(int lane)
    {
        await NoOpWorkflow.RunAsync(_managers[lane], RunIds.NewRunId()).ConfigureAwait(false);
        return true;
    }

    protected override Task<long?> StoredBytesAsync(ServerSnapshot snapshot) => Task.FromResult<long?>(
        new DirectoryInfo(_root).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length));

    protected override Task VerifyAsync(ConnectionMultiplexer connection, long runs)
    {
        // One file per checkpoint, next to each lane's index (warm-up runs included, hence at least).
        var files = new DirectoryInfo(_root).EnumerateFiles("*", SearchOption.AllDirectories).Count(file => file.Name != "index.jsonl");
        return files >= runs * NoOpWorkflow.Checkpoints
            ? Task.CompletedTask
            : throw new InvalidOperationException($"{files} checkpoint files for {runs} runs of {NoOpWorkflow.Checkpoints} supersteps.");
    }

    protected override ValueTask CleanUpAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _stores = [];
        _managers = [];
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
