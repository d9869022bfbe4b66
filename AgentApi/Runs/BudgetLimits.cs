using System.Text.Json.Serialization;
using AgentAspire.AgentState.Journal;

namespace AgentAspire.AgentApi.Runs;

/// <summary>
/// A run's budget as the API reads and shows it (<c>POST /runs</c>, an approval that raises it, <c>GET /runs/{id}</c>): the most tokens (in and out), the
/// most cost by the price table, or both. When the run reaches it, it waits for a person.
/// </summary>
/// <param name="Tokens">The most input and output tokens together.</param>
/// <param name="Cost">The most cost, in the price table's currency, to six decimal places.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BudgetLimits(long? Tokens, decimal? Cost)
{
    /// <summary>A stored budget as the API shows it; null for none.</summary>
    public static BudgetLimits? From(RunBudget? budget) =>
        budget is null ? null : new(budget.Tokens, budget.CostMicros is { } cost ? cost / 1_000_000m : null);

    /// <summary>The budget, or the first problem with it: a field out of range, too many decimals, or no field at all.</summary>
    public (RunBudget? Budget, string? Error) Read()
    {
        if (Tokens is null && Cost is null)
        {
            return (null, """'budget' needs 'tokens', 'cost' or both, for example { "tokens": 20000, "cost": 0.5 }.""");
        }

        if (Tokens is < 1 or > RunBudget.MaxTokens)
        {
            return (null, $"'budget.tokens' must be between 1 and {RunBudget.MaxTokens}, got {Tokens}.");
        }

        const decimal maxCost = RunBudget.MaxCostMicros / 1_000_000m;
        if (Cost is <= 0 or > maxCost)
        {
            return (null, $"'budget.cost' must be more than 0 and at most {maxCost}, got {Cost}.");
        }

        if (Cost is { } cost && decimal.Round(cost, 6) != cost)
        {
            return (null, $"'budget.cost' has at most six decimal places, got {cost}.");
        }

        return (new RunBudget(Tokens, Cost is { } value ? (long)(value * 1_000_000m) : null), null);
    }
}
