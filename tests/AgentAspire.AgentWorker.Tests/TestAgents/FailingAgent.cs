using AgentAspire.Agents;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

/// <summary>One step that throws on every attempt, counting its attempts in the <see cref="StepGate"/>.</summary>
public sealed class FailingAgent(StepGate gate) : Agent<GateInput>
{
    public const string AgentName = "always-fails";

    public const string Error = "The step always fails.";

    public override string Name => AgentName;

    public override string Description => "Fails every attempt of its only step.";

    public override IReadOnlyList<IAgentStep> Steps { get; } = [new ExplodeStep(gate)];

    private sealed class ExplodeStep(StepGate gate) : AgentStep<GateInput>
    {
        public override string Name => "explode";

        protected override Task<StepResult> ExecuteAsync(StepContext context, GateInput input)
        {
            gate.FailingAttempted();
            throw new InvalidOperationException(Error);
        }
    }
}
