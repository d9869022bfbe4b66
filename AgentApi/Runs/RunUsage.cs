using AgentAspire.AgentState.Journal;

namespace AgentAspire.AgentApi.Runs;

/// <summary>What the model calls of a run or a step used, summed as each call was recorded.</summary>
/// <param name="InputTokens">Tokens sent to the model.</param>
/// <param name="OutputTokens">Tokens the model answered with.</param>
/// <param name="CachedInputTokens">Input tokens the provider answered from its prompt cache (part of <paramref name="InputTokens"/>).</param>
/// <param name="Cost">The cost by the price table (<c>Models:Prices</c>), in its currency; 0 for models without a price.</param>
/// <param name="ModelCalls">How many model calls were paid for.</param>
public sealed record RunUsage(long InputTokens, long OutputTokens, long CachedInputTokens, decimal Cost, int ModelCalls)
{
    /// <summary>The usage as the checkpoint holds it.</summary>
    public static RunUsage From(ModelUsage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, usage.Cost, usage.Calls);
}
