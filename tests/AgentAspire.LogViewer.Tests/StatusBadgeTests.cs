using AgentAspire.AgentState;
using AgentAspire.LogViewer.Components.Runs;

namespace AgentAspire.LogViewer.Tests;

public sealed class StatusBadgeTests : BunitContext
{
    [Theory]
    [InlineData(RunStatus.Queued, "queued", "badge-queued")]
    [InlineData(RunStatus.InProgress, "running", "badge-running")]
    [InlineData(RunStatus.Waiting, "waiting", "badge-waiting")]
    [InlineData(RunStatus.Failed, "failed", "badge-failed")]
    [InlineData(RunStatus.Cancelled, "cancelled", "badge-cancelled")]
    [InlineData(RunStatus.Complete, "complete", "badge-complete")]
    [InlineData(RunStatus.Diverged, "diverged", "badge-diverged")]
    [InlineData("", "unknown", "badge-unknown")]
    [InlineData(null, "unknown", "badge-unknown")]
    public void Shows_each_status_with_its_own_colour(string? status, string label, string cssClass)
    {
        var badge = Render<StatusBadge>(p => p.Add(c => c.Status, status)).Find("span.badge");

        Assert.Equal(label, badge.TextContent);
        Assert.Contains(cssClass, badge.ClassList);
    }

    [Fact]
    public void Shows_an_unknown_status_as_text()
    {
        var badge = Render<StatusBadge>(p => p.Add(c => c.Status, "<b>odd</b>")).Find("span.badge");

        Assert.Equal("<b>odd</b>", badge.TextContent);
        Assert.Empty(badge.QuerySelectorAll("b"));
    }
}
