using AgentAspire.Agents;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

/// <summary>A badly declared agent: two steps share a name, so its log and its results would be ambiguous.</summary>
public sealed class RepeatedStepAgent : Agent<GateInput>
{
    public override string Name => "repeated-step";

    public override string Description => "Declares the step 'count' twice.";

    public override IReadOnlyList<IAgentStep> Steps { get; } = [new CountStep(), new CountStep()];

    private sealed class CountStep : AgentStep<GateInput>
    {
        public override string Name => "count";

        protected override Task<StepResult> ExecuteAsync(StepContext context, GateInput input) =>
            Task.FromResult(StepResult.Done(input.Text.Length));
    }
}
