namespace AgentAspire.Bench.Measuring;

/// <summary>One measurement. Each run prints one JSON line; eng/bench.sh runs every scenario in several interleaved rounds.</summary>
internal interface IScenario
{
    /// <summary>The table the scenario's row belongs to in BENCHMARKS.md.</summary>
    string Group { get; }

    /// <summary>The row: unique over all scenarios, e.g. <c>cookbook c=16</c>.</summary>
    string Name { get; }

    /// <summary>False for a long scenario that runs in the first round only (worker RSS after 100k runs).</summary>
    bool EveryRound => true;

    /// <summary>False for a scenario that smoke mode leaves out because a sibling proves the same code path faster.</summary>
    bool InSmoke => true;

    /// <summary>Measures on the private server; throws when a result is wrong (a refused commit, a lost run).</summary>
    Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken);
}
