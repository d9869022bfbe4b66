using AgentAspire.AgentState;
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
}
