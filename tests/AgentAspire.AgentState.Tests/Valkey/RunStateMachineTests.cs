using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tests.Unit;
using AgentAspire.AgentState.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// The claim and commit scripts (a step commit and a workflow checkpoint committed as a step) check statuses
/// themselves; these tests prove they follow the specification and that the two commits agree.
/// </summary>
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

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Statuses))]
    public async Task The_workflow_commit_commits_exactly_in_the_statuses_the_state_machine_allows(string status)
    {
        // Arrange: a claimed run, then moved to the given status behind its worker's back
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId);
        await Db.HashSetAsync(AgentKeys.State(runId), "status", status);

        // Act
        var result = await Workflows(services).CommitAsync(lease, "checkpoint-1", null, "{}", new WorkflowStep("plan", "{}", "{}"));

        // Assert
        Assert.Equal(RunStateSpecification.Allows(RunAction.Commit, status), result.Outcome == WorkflowCheckpointOutcome.Committed);
        Assert.Equal(result.Outcome == WorkflowCheckpointOutcome.Committed, await Db.HashExistsAsync(AgentKeys.WorkflowCheckpoints(runId), "checkpoint-1"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_workflow_commit_is_refused_like_a_step_commit_once_another_worker_took_the_run()
    {
        // Arrange: a claimed run whose lease another worker took after it expired (fence bumped)
        var services = Services();
        var runId = NewRunId();
        var zombie = await CreateAndClaimAsync(services, runId);
        await Db.KeyDeleteAsync(AgentKeys.Lease(runId));
        Assert.Equal(ClaimOutcome.Claimed, (await services.Leases.ClaimAsync(zombie.Entry, "worker-b")).Outcome);

        // Act
        var workflow = await Workflows(services).CommitAsync(zombie, "checkpoint-1", null, "{}", new WorkflowStep("plan", "{}", "{}"));
        var step = await zombie.CommitStepAsync(1, "plan", "{}", "{}", isLastStep: false);

        // Assert
        Assert.Equal(WorkflowCheckpointOutcome.Fenced, workflow.Outcome);
        Assert.Equal(CommitOutcome.Fenced, step);
        Assert.False(await Db.KeyExistsAsync(AgentKeys.WorkflowCheckpoints(runId)));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_step_commit_and_a_workflow_commit_write_the_same_fields_and_renew_the_ttls_alike()
    {
        // Arrange: two claimed runs; the claims renewed their TTLs, so the commits right after are not due to
        var services = Services();
        var stepRun = await CreateAndClaimAsync(services, NewRunId());
        var workflowRun = await CreateAndClaimAsync(services, NewRunId());
        var stepBefore = await HashAsync(AgentKeys.State(stepRun.RunId));
        var workflowBefore = await HashAsync(AgentKeys.State(workflowRun.RunId));

        // Act
        Assert.Equal(CommitOutcome.Committed, await stepRun.CommitStepAsync(1, "plan", """{"n":1}""", "{}", isLastStep: false));
        var committed = await Workflows(services).CommitAsync(workflowRun, "checkpoint-1", null, "{}", new WorkflowStep("plan", """{"n":1}""", "{}"));

        // Assert: the same fields, the same step, and neither commit renewed what the claim had just renewed
        Assert.Equal(WorkflowCheckpointOutcome.Committed, committed.Outcome);
        Assert.Equal(1, committed.Step);
        var stepAfter = await HashAsync(AgentKeys.State(stepRun.RunId));
        var workflowAfter = await HashAsync(AgentKeys.State(workflowRun.RunId));
        Assert.Equal(stepAfter.Keys.Order(StringComparer.Ordinal), workflowAfter.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(stepBefore["renewed_at"], stepAfter["renewed_at"]);
        Assert.Equal(workflowBefore["renewed_at"], workflowAfter["renewed_at"]);
        foreach (var field in new[] { "current_step", "result_step_1", "step_name_1", "status" })
        {
            Assert.Equal(stepAfter[field], workflowAfter[field]);
        }

        var stepLog = await Db.StreamRangeAsync(AgentKeys.Log(stepRun.RunId), "-", "+");
        var workflowLog = await Db.StreamRangeAsync(AgentKeys.Log(workflowRun.RunId), "-", "+");
        Assert.Equal(stepLog.Select(entry => entry["action"].ToString()), workflowLog.Select(entry => entry["action"].ToString()));
        Assert.NotNull(await Db.KeyTimeToLiveAsync(AgentKeys.WorkflowCheckpoints(workflowRun.RunId)));
        Assert.NotNull(await Db.KeyTimeToLiveAsync(AgentKeys.WorkflowCheckpointIndex(workflowRun.RunId)));
    }

    [Fact]
    public void Every_status_but_the_final_ones_can_be_left_and_the_API_words_follow_the_rules()
    {
        foreach (var status in RunStatus.All)
        {
            var leaves = RunStatus.All.Any(to => to != status && RunStateMachine.CanMove(status, to));
            Assert.True(leaves || status is RunStatus.Complete or RunStatus.Diverged, $"{status} is a dead end");
        }

        Assert.Equal("a queued, in_progress or waiting run", RunStateMachine.Describe(RunAction.Cancel));
        Assert.Equal("a failed or cancelled run", RunStateMachine.Describe(RunAction.Resume));
        Assert.Equal("a waiting run", RunStateMachine.Describe(RunAction.Decide));
        Assert.False(RunStateMachine.CanMove(RunStatus.Complete, RunStatus.Queued));
    }

    private static WorkflowCheckpoints Workflows(AgentStateServices services) => services.Provider.GetRequiredService<WorkflowCheckpoints>();
}
