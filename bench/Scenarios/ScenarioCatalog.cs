using AgentAspire.Bench.Measuring;

namespace AgentAspire.Bench.Scenarios;

/// <summary>Every scenario, in the order of BENCHMARKS.md. A new scenario is one class and one line here.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new FloorScenario(),
        new ServerCostPerCallScenario(),
        new CommitScenario(),
        .. new[] { 1, 16, 64 }.SelectMany(concurrency => new IScenario[]
        {
            new CookbookRunScenario(concurrency),
            new WholeLifeRunScenario(concurrency),
            new WorkerSideRunScenario(concurrency),
        }),
        new ToolCacheHitScenario(),
        new ModelTurnJournalScenario(),
        new ToolCacheStampedeScenario(),
        new QueueLatencyScenario(),
        new MemoryPerRunScenario(),
        .. new[] { 1, 16, 64 }.SelectMany(concurrency => new IScenario[]
        {
            new InMemoryCheckpointScenario(concurrency),
            new FileCheckpointScenario(concurrency),
            new ValkeyCheckpointScenario(concurrency),
            new ValkeyLeaseCheckpointScenario(concurrency),
        }),
        new EndToEndScenario(workers: 1),
        new EndToEndScenario(workers: 2),
        new EndToEndScenario(workers: 4),
        new EndToEndScenario(workers: 1, onCluster: true),
        new EndToEndScenario(workers: 2, onCluster: true),
        new EndToEndScenario(workers: 4, onCluster: true),
        new WorkerRssScenario(),
        new ViewerWatchersScenario(pages: 1, liveRuns: 1),
        new ViewerWatchersScenario(pages: 20, liveRuns: 100),
    ];
}
