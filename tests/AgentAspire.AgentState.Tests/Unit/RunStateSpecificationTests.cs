namespace AgentAspire.AgentState.Tests.Unit;

/// <summary>The product's state machine table says exactly what <see cref="RunStateSpecification"/> says.</summary>
public sealed class RunStateSpecificationTests
{
    public static TheoryData<RunAction> Actions => new(Enum.GetValues<RunAction>());

    [Theory]
    [MemberData(nameof(Actions))]
    public void Each_action_is_allowed_in_and_leads_to_exactly_the_specified_statuses(RunAction action)
    {
        var (from, to) = RunStateSpecification.Transitions[action];

        Assert.Equal(from.Order(StringComparer.Ordinal), RunStateMachine.AllowedFrom(action).Order(StringComparer.Ordinal));
        Assert.Equal(to.Order(StringComparer.Ordinal), RunStateMachine.LeadsTo(action).Order(StringComparer.Ordinal));
        foreach (var status in RunStatus.All)
        {
            Assert.Equal(from.Contains(status), RunStateMachine.Allows(action, status));
        }
    }

    [Fact]
    public void A_run_moves_between_two_statuses_exactly_when_some_specified_action_takes_it_there()
    {
        Assert.Equal(Enum.GetValues<RunAction>().Order(), RunStateSpecification.Transitions.Keys.Order());
        foreach (var from in RunStatus.All)
        {
            foreach (var to in RunStatus.All)
            {
                var specified = RunStateSpecification.Transitions.Values.Any(rule => rule.From.Contains(from) && rule.To.Contains(to));
                Assert.True(specified == RunStateMachine.CanMove(from, to), $"{from} -> {to}: specified {specified}, product {!specified}");
            }
        }

        // What the spec says in words: a complete run is final, and so is a diverged replay (its divergence is its
        // result); a failed or cancelled one only goes back to the queue.
        Assert.DoesNotContain(RunStatus.All, to => RunStateMachine.CanMove(RunStatus.Complete, to));
        Assert.DoesNotContain(RunStatus.All, to => RunStateMachine.CanMove(RunStatus.Diverged, to));
        Assert.Equal([RunStatus.Queued], RunStatus.All.Where(to => RunStateMachine.CanMove(RunStatus.Failed, to)));
        Assert.Equal([RunStatus.Queued], RunStatus.All.Where(to => RunStateMachine.CanMove(RunStatus.Cancelled, to)));
    }
}
