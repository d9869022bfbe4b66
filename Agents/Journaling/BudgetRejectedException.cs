namespace AgentAspire.Agents.Journaling;

/// <summary>A person refused to let a run spend past its budget: the run fails with this message, and is not retried.</summary>
public sealed class BudgetRejectedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public BudgetRejectedException(string message)
        : base(message)
    {
    }
}
