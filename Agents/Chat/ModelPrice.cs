namespace AgentAspire.Agents.Chat;

/// <summary>What a model's tokens cost, per million tokens, in the currency of the price table.</summary>
/// <param name="Input">The price of a million input tokens.</param>
/// <param name="Output">The price of a million output tokens.</param>
/// <param name="CachedInput">The price of a million input tokens the provider answered from its prompt cache; <paramref name="Input"/> when not set.</param>
public sealed record ModelPrice(decimal Input, decimal Output, decimal? CachedInput = null)
{
    /// <summary>
    /// The cost of one call in millionths of the currency: a price per million tokens is a price in millionths per
    /// token, so the sum is exact. Rounded up: a run is never charged less than it used.
    /// </summary>
    public long CostMicros(long inputTokens, long outputTokens, long cachedInputTokens)
    {
        var cached = Math.Clamp(cachedInputTokens, 0, inputTokens);
        var cost = ((inputTokens - cached) * Input) + (cached * (CachedInput ?? Input)) + (outputTokens * Output);
        return (long)decimal.Ceiling(cost);
    }
}
