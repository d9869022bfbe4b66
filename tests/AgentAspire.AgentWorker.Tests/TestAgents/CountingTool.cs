using AgentAspire.Agents;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

/// <summary>The arguments of <c>count_letters</c>.</summary>
public sealed record CountLettersArgs(string Text);

/// <summary>Counts a text's letters and tells the <see cref="StepGate"/> each time it really runs.</summary>
public sealed class CountingTool(StepGate gate) : AgentTool<CountLettersArgs, int>
{
    public override string Name => "count_letters";

    public override TimeSpan Ttl => TimeSpan.FromMinutes(10);

    protected override Task<int> InvokeAsync(CountLettersArgs args, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        gate.ToolRan();
        return Task.FromResult(args.Text.Count(char.IsLetter));
    }
}
