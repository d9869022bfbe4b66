using AgentAspire.AgentState;
using AgentAspire.AgentState.Replays;
using AgentAspire.LogViewer.Components.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class RunActionsTests : BunitContext
{
    [Theory]
    [InlineData("empty", true, false)]
    [InlineData(RunStatus.Queued, true, false)]
    [InlineData(RunStatus.InProgress, true, false)]
    [InlineData(RunStatus.Waiting, true, false)]
    [InlineData(RunStatus.Failed, false, true)]
    [InlineData(RunStatus.Cancelled, false, true)]
    [InlineData(RunStatus.Complete, false, false)]
    public void Enables_cancel_and_resume_as_the_status_allows(string state, bool canCancel, bool canResume)
    {
        var actions = Render<RunActions>(p => p.Add(c => c.Run, Samples.Run(state)));

        Assert.Equal(canCancel, !actions.Find("#cancel-run").HasAttribute("disabled"));
        Assert.Equal(canResume, !actions.Find("#resume-run").HasAttribute("disabled"));
        Assert.Equal(Samples.Run(state).CurrentStep + 1, actions.FindAll("#fork-step option").Count);
    }

    public static TheoryData<string> Statuses => [.. RunStatus.All];

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Enables_exactly_what_the_run_state_machine_allows_and_fork_and_delete_always(string status)
    {
        var run = Samples.Run(RunStatus.Complete) with { Status = status };

        var actions = Render<RunActions>(p => p.Add(c => c.Run, run));
        var approval = Render<ApprovalPanel>(p => p.Add(c => c.Run, run));

        Assert.Equal(RunStateMachine.Allows(RunAction.Cancel, status), !actions.Find("#cancel-run").HasAttribute("disabled"));
        Assert.Equal(RunStateMachine.Allows(RunAction.Resume, status), !actions.Find("#resume-run").HasAttribute("disabled"));
        Assert.Equal(RunStateMachine.Allows(RunAction.Decide, status), approval.FindAll("button.btn-approve").Count == 1);
        Assert.False(actions.Find("#fork-run").HasAttribute("disabled"));
        Assert.False(actions.Find("#delete-run").HasAttribute("disabled"));
    }

    [Fact]
    public void Disables_every_action_while_busy()
    {
        var actions = Render<RunActions>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Failed)).Add(c => c.Busy, true));

        Assert.All(actions.FindAll("button"), button => Assert.True(button.HasAttribute("disabled")));
    }

    [Fact]
    public void Deletes_only_after_a_second_click()
    {
        var deleted = 0;
        var actions = Render<RunActions>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Complete)).Add(c => c.OnDelete, () => deleted++));

        actions.Find("#delete-run").Click();
        Assert.Equal(0, deleted);
        actions.Find("#confirm-delete").Click();

        Assert.Equal(1, deleted);
    }

    [Fact]
    public void Forks_from_the_chosen_step()
    {
        var fromStep = 0;
        var actions = Render<RunActions>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Complete)).Add(c => c.OnFork, (int step) => fromStep = step));

        actions.Find("#fork-step").Change("3");
        actions.Find("#fork-run").Click();

        Assert.Equal(3, fromStep);
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Enables_replay_for_an_ended_run_only(string status)
    {
        var actions = Render<RunActions>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Complete) with { Status = status }));

        Assert.Equal(RunStatus.IsFinal(status), !actions.Find("#replay-run").HasAttribute("disabled"));
    }

    [Fact]
    public void Replays_from_the_record_or_live_after_the_chosen_step()
    {
        var choices = new List<ReplayChoice>();
        var actions = Render<RunActions>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Complete)).Add(c => c.OnReplay, (ReplayChoice choice) => choices.Add(choice)));

        Assert.Empty(actions.FindAll("#replay-after-step"));
        actions.Find("#replay-run").Click();
        actions.Find("#replay-mode").Change(ReplayModes.LiveAfter);
        Assert.Equal(4, actions.FindAll("#replay-after-step option").Count);
        actions.Find("#replay-after-step").Change("2");
        actions.Find("#replay-run").Click();

        Assert.Equal([new ReplayChoice(ReplayModes.Recorded, null), new ReplayChoice(ReplayModes.LiveAfter, 2)], choices);
    }
}
