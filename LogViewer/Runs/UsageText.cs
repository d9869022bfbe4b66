using System.Globalization;
using AgentAspire.AgentState.Journal;

namespace AgentAspire.LogViewer.Runs;

/// <summary>Tokens, cost and budgets as short text: <c>1,234 tok</c>, <c>12.3k tok</c>, <c>0.00021</c>.</summary>
public static class UsageText
{
    /// <summary>A token count with thousands separators: <c>107</c>, <c>12,345</c>.</summary>
    public static string Tokens(long tokens) => tokens.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A token count in a few characters, for a narrow column: <c>107</c>, <c>12.3k</c>, <c>4.5M</c>.</summary>
    public static string CompactTokens(long tokens) =>
        tokens < 10_000 ? Tokens(tokens)
        : tokens < 1_000_000 ? (tokens / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k"
        : (tokens / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M";

    /// <summary>A cost in the price table's currency, to the millionth it is counted in, without trailing zeros past the cents.</summary>
    public static string Cost(decimal cost) => cost.ToString("0.00####", CultureInfo.InvariantCulture);

    /// <summary>What a run or step used in one line: <c>107 tok (80 in, 27 out) · 3 calls · cost 0.00021</c>; cost left out when nothing had a price.</summary>
    public static string Summary(ModelUsage usage)
    {
        var parts = new List<string>
        {
            $"{Tokens(usage.TotalTokens)} tok ({Tokens(usage.InputTokens)} in{Cached(usage)}, {Tokens(usage.OutputTokens)} out)",
            usage.Calls == 1 ? "1 model call" : $"{usage.Calls} model calls",
        };
        if (usage.CostMicros != 0)
        {
            parts.Add($"cost {Cost(usage.Cost)}");
        }

        return string.Join(" · ", parts);
    }

    /// <summary>A run's budget with how much of it is used: <c>10,000 tok (45% used) · cost 0.05 (12% used)</c>.</summary>
    public static string Budget(RunBudget budget, ModelUsage used)
    {
        var parts = new List<string>();
        if (budget.Tokens is { } tokens)
        {
            parts.Add($"{Tokens(tokens)} tok ({Percent(used.TotalTokens, tokens)} used)");
        }

        if (budget.CostMicros is { } cost)
        {
            parts.Add($"cost {Cost(cost / 1_000_000m)} ({Percent(used.CostMicros, cost)} used)");
        }

        return parts.Count == 0 ? "no limit" : string.Join(" · ", parts);
    }

    /// <summary>The share of <paramref name="limit"/> that <paramref name="used"/> is, from 0 to 1 (more when over).</summary>
    public static double Fraction(long used, long limit) => limit <= 0 ? 1 : (double)used / limit;

    private static string Percent(long used, long limit) => (Fraction(used, limit) * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Cached(ModelUsage usage) => usage.CachedInputTokens > 0 ? $", {Tokens(usage.CachedInputTokens)} cached" : "";
}
