namespace AgentAspire.AgentState.Journal;

/// <summary>What model calls used: tokens and cost, of one call, one step or a whole run.</summary>
/// <param name="InputTokens">Tokens sent to the model.</param>
/// <param name="OutputTokens">Tokens the model answered with.</param>
/// <param name="CachedInputTokens">Input tokens the provider answered from its prompt cache (part of <paramref name="InputTokens"/>).</param>
/// <param name="CostMicros">The cost in millionths of the price table's currency; 0 when the model has no price.</param>
/// <param name="Calls">How many model calls this counts.</param>
public readonly record struct ModelUsage(long InputTokens, long OutputTokens, long CachedInputTokens, long CostMicros, int Calls)
{
    /// <summary>Nothing used.</summary>
    public static ModelUsage None => default;

    /// <summary>Input and output tokens together, what a token budget counts.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>The cost in the price table's currency.</summary>
    public decimal Cost => CostMicros / 1_000_000m;

    /// <summary>The sum of two usages.</summary>
    public static ModelUsage operator +(ModelUsage left, ModelUsage right) => new(
        left.InputTokens + right.InputTokens,
        left.OutputTokens + right.OutputTokens,
        left.CachedInputTokens + right.CachedInputTokens,
        left.CostMicros + right.CostMicros,
        left.Calls + right.Calls);

    /// <summary>The sum of two usages.</summary>
    public static ModelUsage Add(ModelUsage left, ModelUsage right) => left + right;
}
