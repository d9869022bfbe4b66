using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Unit;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>The claim and commit scripts check statuses themselves; these tests prove they follow the specification.</summary>
public sealed class RunStateMachineTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    public static TheoryData<string> Statuses => new(RunStatus.All);

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Statuses))]
    public async Task The_claim_script_claims_exactly_in_the_statuses_the_specification_allows(string status)
    {
        // Arrange: a run in the given status, nobody holding its lease
        var services = Services();
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));
        await Db.HashSetAsync(AgentKeys.State(runId), "status", status);
        var entry = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-a", runId));

        // Act
        var claim = await services.Leases.ClaimAsync(entry, "worker-a");

        // Assert
        Assert.Equal(RunStateSpecification.Allows(RunAction.Claim, status), claim.Outcome == ClaimOutcome.Claimed);
        if (claim.Outcome == ClaimOutcome.Claimed)
        {
            Assert.Equal(RunStatus.InProgress, (await services.Store.GetAsync(runId))!.Status);
        }
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Statuses))]
    public async Task The_commit_script_commits_exactly_in_the_statuses_the_specification_allows(string status)
    {
        // Arrange: a claimed run, then moved to the given status behind its worker's back
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        await Db.HashSetAsync(AgentKeys.State(runId), "status", status);

        // Act
        var outcome = await lease.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);

        // Assert
        Assert.Equal(RunStateSpecification.Allows(RunAction.Commit, status), outcome == CommitOutcome.Committed);
    }

    [Fact]
    public void Every_status_but_the_final_ones_can_be_left_and_the_API_words_follow_the_rules()
    {
        foreach (var status in RunStatus.All)
        {
            var leaves = RunStatus.All.Any(to => to != status && RunStateMachine.CanMove(status, to));
            Assert.True(leaves || status is RunStatus.Complete, $"{status} is a dead end");
        }

        Assert.Equal("a queued, in_progress or waiting run", RunStateMachine.Describe(RunAction.Cancel));
        Assert.Equal("a failed or cancelled run", RunStateMachine.Describe(RunAction.Resume));
        Assert.Equal("a waiting run", RunStateMachine.Describe(RunAction.Decide));
        Assert.False(RunStateMachine.CanMove(RunStatus.Complete, RunStatus.Queued));
    }
}
