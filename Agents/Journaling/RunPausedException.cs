namespace AgentAspire.Agents.Journaling;

/// <summary>
/// Thrown inside a step when the run must wait for a person (a budget reached, a tool that asks first). The step's
/// runner turns it into a pause with <see cref="Prompt"/>; it is not a failure and is never retried.
/// </summary>
public sealed class RunPausedException : Exception
{
    /// <summary>Creates the pause.</summary>
    public RunPausedException(string prompt)
        : base(prompt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
    }

    /// <summary>What the person is asked to decide.</summary>
    public string Prompt => Message;
}
