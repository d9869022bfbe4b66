namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// The 3-step no-op Agent Framework workflow run to completion at a fixed concurrency, checkpointed by one store:
/// runs/s, the server's cost, and the bytes each run leaves stored. Subclasses say which store.
/// </summary>
internal abstract class WorkflowCheckpointScenario(int concurrency) : RunLifeScenario(concurrency)
{
    public const string GroupName = "Agent Framework checkpoint stores: 3-step no-op workflow";

    public override string Group => GroupName;

    public sealed override string Name => $"{Store} c={Concurrency}";

    /// <summary>The store, as its rows are labelled.</summary>
    protected abstract string Store { get; }
}
