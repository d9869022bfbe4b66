using AgentAspire.AgentState;
using AgentAspire.LogViewer.Components.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class ApprovalPanelTests : BunitContext
{
    [Fact]
    public void Renders_nothing_without_a_run()
    {
        var panel = Render<ApprovalPanel>(p => p.Add(c => c.Run, null));

        Assert.Equal("", panel.Markup.Trim());
    }

    [Theory]
    [MemberData(nameof(Samples.States), MemberType = typeof(Samples))]
    public void Asks_for_a_decision_only_while_the_run_waits(string state)
    {
        var panel = Render<ApprovalPanel>(p => p.Add(c => c.Run, Samples.Run(state)));

        var buttons = panel.FindAll("button").Select(b => b.TextContent).ToList();
        if (state == RunStatus.Waiting)
        {
            Assert.Equal(["Approve", "Reject"], buttons);
            Assert.Contains("Write and publish the answer to: How do runs resume?", panel.Find(".approval-prompt").TextContent);
        }
        else
        {
            Assert.Empty(buttons);
        }
    }

    [Fact]
    public void Shows_an_earlier_decision_with_its_comment()
    {
        var panel = Render<ApprovalPanel>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Complete)));

        Assert.Equal("approved", panel.Find(".decisions .badge").TextContent);
        Assert.Equal("fine", panel.Find(".decision-comment").TextContent);
    }

    [Theory]
    [InlineData(true, "Approve")]
    [InlineData(false, "Reject")]
    public void Passes_the_decision_and_the_comment(bool approved, string button)
    {
        ApprovalDecisionInput? decided = null;
        var panel = Render<ApprovalPanel>(p => p
            .Add(c => c.Run, Samples.Run(RunStatus.Waiting))
            .Add(c => c.OnDecide, (ApprovalDecisionInput d) => decided = d));

        panel.Find("textarea").Input("  looks right  ");
        panel.FindAll("button").Single(b => b.TextContent == button).Click();

        Assert.Equal(new ApprovalDecisionInput(approved, "looks right"), decided);
    }

    [Fact]
    public void Disables_the_buttons_while_busy()
    {
        var panel = Render<ApprovalPanel>(p => p.Add(c => c.Run, Samples.Run(RunStatus.Waiting)).Add(c => c.Busy, true));

        Assert.All(panel.FindAll("button"), b => Assert.True(b.HasAttribute("disabled")));
    }
}
