using AgentAspire.Agents;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

/// <summary>
/// A kind of agent the product does not define, to prove that a kind plugs in through <see cref="Agents.Running.IAgentRunner"/>
/// alone: a tally agent names its steps and says which text each one counts; <see cref="TallyRunner"/> runs it.
/// </summary>
public sealed class TallyAgent : TypedAgent<GateInput>
{
    public const string AgentName = "tally";

    /// <summary>The kind's name; <see cref="TallyRunner"/> runs the agents of this kind.</summary>
    public const string KindName = "tally";

    public override string Name => AgentName;

    public override string Description => "Counts the letters of its text, then of the text's first word: one step each.";

    public override string Kind => KindName;

    public override IReadOnlyList<string> StepNames { get; } = ["whole", "first-word"];

    public override GateInput Example => new("hello valkey");

    /// <summary>The text step <paramref name="step"/> counts the letters of.</summary>
    public static string TextFor(int step, GateInput input) => step == 1 ? input.Text : input.Text.Split(' ')[0];
}
