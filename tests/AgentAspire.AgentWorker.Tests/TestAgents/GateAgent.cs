using AgentAspire.Agents;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

/// <summary>The input of the test agents.</summary>
public sealed record GateInput(string Text);

/// <summary>
/// Three steps: <c>prepare</c> returns at once, <c>wait</c> calls the counting tool and then waits on the test's
/// <see cref="StepGate"/>, <c>finish</c> combines both earlier results (restored from the checkpoint on a resume).
/// </summary>
public sealed class GateAgent(StepGate gate, CountingTool tool) : Agent<GateInput>
{
    public const string AgentName = "gate";

    public override string Name => AgentName;

    public override string Description => "Waits on the test's gate in its second step.";

    public override IReadOnlyList<IAgentStep> Steps { get; } = [new PrepareStep(gate), new WaitStep(gate, tool), new FinishStep(gate)];

    private sealed class PrepareStep(StepGate gate) : AgentStep<GateInput>
    {
        public override string Name => "prepare";

        protected override Task<StepResult> ExecuteAsync(StepContext context, GateInput input)
        {
            gate.PrepareRan();
            return Task.FromResult(StepResult.Done(input.Text.ToUpperInvariant()));
        }
    }

    private sealed class WaitStep(StepGate gate, CountingTool tool) : AgentStep<GateInput>
    {
        public override string Name => "wait";

        protected override async Task<StepResult> ExecuteAsync(StepContext context, GateInput input)
        {
            gate.WaitRan();
            var letters = await tool.CallAsync(context, new CountLettersArgs(input.Text));
            gate.Entered.TrySetResult();
            if (!gate.HonoursCancellation)
            {
                await gate.Open.Task;
                gate.Returned.TrySetResult();
                return StepResult.Done(letters);
            }

            try
            {
                await gate.Open.Task.WaitAsync(context.CancellationToken);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                gate.CancellationSeen.TrySetResult();
                throw;
            }

            return StepResult.Done(letters);
        }
    }

    private sealed class FinishStep(StepGate gate) : AgentStep<GateInput>
    {
        public override string Name => "finish";

        protected override Task<StepResult> ExecuteAsync(StepContext context, GateInput input)
        {
            gate.FinishRan();
            return Task.FromResult(StepResult.Done($"{context.GetResult<string>("prepare")} has {context.GetResult<int>("wait")} letters"));
        }
    }
}
