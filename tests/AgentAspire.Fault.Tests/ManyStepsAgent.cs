using AgentAspire.Agents;

namespace AgentAspire.Fault.Tests;

/// <summary>The input of <see cref="ManyStepsAgent"/>: how long each step waits before it commits.</summary>
/// <param name="StepDelayMs">The wait of each step, in milliseconds, so a test can kill the worker in the middle of one.</param>
public sealed record ManyStepsInput(int StepDelayMs);

/// <summary>
/// A test-only agent with more steps than the shipped ones have, so a test can kill its worker once after each of many
/// commits. Each step waits, then commits its number. The fault tier's workers take it through <see cref="StartupHook"/>.
/// </summary>
public sealed class ManyStepsAgent : Agent<ManyStepsInput>
{
    /// <summary>The agent's name.</summary>
    public const string AgentName = "fault-many-steps";

    /// <summary>How many steps a run has.</summary>
    public const int StepCount = 10;

    /// <summary>The steps' names, in order.</summary>
    public static IReadOnlyList<string> AllStepNames { get; } = [.. Enumerable.Range(1, StepCount).Select(WaitStep.NameOf)];

    public override string Name => AgentName;

    public override string Description => "Ten steps that each wait, then commit their number.";

    public override IReadOnlyList<IAgentStep> Steps { get; } = [.. Enumerable.Range(1, StepCount).Select(number => new WaitStep(number))];

    private sealed class WaitStep(int number) : AgentStep<ManyStepsInput>
    {
        public override string Name => NameOf(number);

        public static string NameOf(int number) => $"wait-{number}";

        protected override async Task<StepResult> ExecuteAsync(StepContext context, ManyStepsInput input)
        {
            await Task.Delay(input.StepDelayMs, context.CancellationToken).ConfigureAwait(false);
            return StepResult.Done(number);
        }
    }
}
