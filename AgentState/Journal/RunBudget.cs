namespace AgentAspire.AgentState.Journal;

/// <summary>
/// The most a run may spend on model calls before it waits for a person: tokens (in and out), cost, or both.
/// A run checks before every model call and after it, so it never overspends by more than one call.
/// </summary>
/// <param name="Tokens">The most input and output tokens together; null for no limit.</param>
/// <param name="CostMicros">The most cost in millionths of the price table's currency; null for no limit.</param>
public sealed record RunBudget(long? Tokens, long? CostMicros)
{
    /// <summary>The largest token budget accepted: a billion tokens.</summary>
    public const long MaxTokens = 1_000_000_000;

    /// <summary>The largest cost budget accepted, in millionths: a million in the price table's currency.</summary>
    public const long MaxCostMicros = 1_000_000_000_000;

    /// <summary>No limit.</summary>
    public static RunBudget Unlimited { get; } = new(null, null);

    /// <summary>Whether a run that has used <paramref name="spent"/> has reached or passed this budget.</summary>
    public bool IsReachedBy(ModelUsage spent) =>
        (Tokens is { } tokens && spent.TotalTokens >= tokens) || (CostMicros is { } cost && spent.CostMicros >= cost);

    /// <summary>Whether a run that has used <paramref name="spent"/> went past this budget.</summary>
    public bool IsExceededBy(ModelUsage spent) =>
        (Tokens is { } tokens && spent.TotalTokens > tokens) || (CostMicros is { } cost && spent.CostMicros > cost);

    /// <summary>This budget with the limits <paramref name="other"/> sets put in place of its own.</summary>
    public RunBudget With(RunBudget? other) =>
        other is null ? this : new(other.Tokens ?? Tokens, other.CostMicros ?? CostMicros);

    /// <summary>A short description, for example <c>10000 tokens, 0.05 cost</c>.</summary>
    public override string ToString() =>
        Tokens is null && CostMicros is null
            ? "no limit"
            : string.Join(", ", new[]
            {
                Tokens is { } tokens ? $"{tokens} tokens" : null,
                CostMicros is { } cost ? $"{cost / 1_000_000m:0.######} cost" : null,
            }.Where(part => part is not null));
}
