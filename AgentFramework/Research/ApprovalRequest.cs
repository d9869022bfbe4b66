namespace AgentAspire.AgentFramework.Research;

/// <summary>What the research workflow asks a person before it writes the answer.</summary>
/// <param name="Prompt">The question for the person.</param>
public sealed record ApprovalRequest(string Prompt)
{
    /// <inheritdoc />
    public override string ToString() => Prompt;
}
