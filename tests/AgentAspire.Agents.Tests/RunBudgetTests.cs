using AgentAspire.AgentState.Journal;

namespace AgentAspire.Agents.Tests;

public sealed class RunBudgetTests
{
    private static ModelUsage Spent(long tokens, long costMicros) => new(tokens, 0, 0, costMicros, 1);

    [Fact]
    public void A_budget_is_reached_at_its_limit_and_exceeded_past_it()
    {
        var budget = new RunBudget(Tokens: 100, CostMicros: 5_000);

        Assert.False(budget.IsReachedBy(Spent(99, 4_999)));
        Assert.True(budget.IsReachedBy(Spent(100, 0)));
        Assert.False(budget.IsExceededBy(Spent(100, 5_000)));
        Assert.True(budget.IsExceededBy(Spent(101, 0)));
        Assert.True(budget.IsExceededBy(Spent(0, 5_001)));
    }

    [Fact]
    public void Without_limits_nothing_is_reached()
    {
        Assert.False(RunBudget.Unlimited.IsReachedBy(Spent(long.MaxValue / 2, long.MaxValue / 2)));
        Assert.Equal("no limit", RunBudget.Unlimited.ToString());
    }

    [Fact]
    public void A_run_s_own_limits_replace_the_agent_s_one_by_one()
    {
        var agentDefault = new RunBudget(Tokens: 1_000, CostMicros: 50_000);

        Assert.Equal(new RunBudget(2_000, 50_000), agentDefault.With(new RunBudget(2_000, null)));
        Assert.Same(agentDefault, agentDefault.With(null));
        Assert.Equal("2000 tokens, 0.05 cost", new RunBudget(2_000, 50_000).ToString());
    }
}
