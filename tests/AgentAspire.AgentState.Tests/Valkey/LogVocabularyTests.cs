using System.Text.Json.Nodes;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// Every action a run's life writes to its log, the scripts' own entries included, reads back as its details record,
/// and that record writes the same JSON again: the records and the scripts agree on every field.
/// </summary>
public sealed class LogVocabularyTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task A_run_that_waits_for_approval_and_completes_logs_each_action_in_its_record_shape()
    {
        // Arrange
        var services = Services();
        var control = services.Provider.GetRequiredService<RunControl>();
        var runId = NewRunId();

        // Act: claim, a tool call, a committed step, a wait, an approval, a second claim and the last commit
        var first = await CreateAndClaimAsync(services, runId);
        var toolCall = new ToolCallDetails("web_search", CacheHit: true, "tool:cache:web_search:{ab}", 1.25);
        await services.Log.AppendAsync(runId, LogActions.ToolCall, LogDetailsJson.Write(toolCall), 1, 1, "worker-a");
        var committed = new StepCommittedDetails(1, 12.5, ToolCalls: 1, CacheHits: 1);
        Assert.Equal(CommitOutcome.Committed, await first.CommitStepAsync(1, "plan", "{}", LogDetailsJson.Write(committed), isLastStep: false));
        await first.AwaitApprovalAsync(2, "Publish?");
        Assert.True((await control.DecideAsync(runId, 2, approved: true, "looks right")).Changed);
        var entry = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-b", runId));
        var second = (await services.Leases.ClaimAsync(entry, "worker-b")).Lease!;
        Assert.Equal(CommitOutcome.Completed, await second.CommitStepAsync(2, "respond", "{}", LogDetailsJson.Write(committed with { Step = 2 }), isLastStep: true));

        // Assert
        var log = await ReadLogAsync(services, runId);
        Assert.Equal(
            [LogActions.Queued, LogActions.Started, LogActions.ToolCall, "plan", LogActions.Waiting, LogActions.Approved, LogActions.Resumed, "respond", LogActions.Complete],
            log.Select(e => e.Action));
        AssertDetails(log[0], new QueuedDetails("research"));
        AssertDetails(log[1], new ClaimedDetails(Fence: 1, NextStep: 1));
        AssertDetails(log[2], toolCall);
        AssertDetails(log[3], committed);
        AssertDetails(log[4], new WaitingDetails(2, "Publish?"));
        AssertDetails(log[5], new DecisionDetails(2, "looks right"));
        AssertDetails(log[6], new ClaimedDetails(Fence: 2, NextStep: 2));
        AssertDetails(log[7], committed with { Step = 2 });
        AssertDetails(log[8], new CompleteDetails(CompleteDetails.Done));
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancel_resume_release_fail_and_fork_log_each_action_in_its_record_shape()
    {
        // Arrange
        var services = Services();
        var control = services.Provider.GetRequiredService<RunControl>();
        var runId = NewRunId();

        // Act: cancelled, resumed by request, released by a stopping worker, failed, then rejected on a fork
        var first = await CreateAndClaimAsync(services, runId);
        Assert.True((await control.CancelAsync(runId)).Changed);
        await first.StopAsync();
        Assert.True((await control.ResumeAsync(runId)).Changed);
        var second = (await services.Leases.ClaimAsync(Assert.Single(await ReadEntriesAsync(services.Queue, "worker-b", runId)), "worker-b")).Lease!;
        await second.ReleaseAsync();
        var third = (await services.Leases.ClaimAsync(Assert.Single(await ReadEntriesAsync(services.Queue, "worker-c", runId)), "worker-c")).Lease!;
        await third.FailAsync("InvalidOperationException: no");
        var fork = await control.ForkAsync(runId, 1, NewRunId());

        // Assert
        var log = await ReadLogAsync(services, runId);
        Assert.Equal(
            [LogActions.Queued, LogActions.Started, LogActions.Cancelled, LogActions.ResumedByRequest, LogActions.Started, LogActions.Released, LogActions.Started, LogActions.Failed],
            log.Select(e => e.Action));
        AssertDetails(log[2], new CancelledDetails("cancelled by request"));
        Assert.Equal("{}", log[3].DetailsJson);
        AssertDetails(log[4], new ClaimedDetails(Fence: 2, NextStep: 1));
        AssertDetails(log[5], new ReleasedDetails("worker shutting down"));
        AssertDetails(log[7], new FailedDetails("InvalidOperationException: no"));
        var forkLog = await ReadLogAsync(services, fork!.RunId);
        AssertDetails(Assert.Single(forkLog), new QueuedDetails("research", ForkedFrom: runId));
    }

    [Fact]
    public void Every_action_of_the_vocabulary_is_distinct_and_lowercase()
    {
        Assert.Equal(LogActions.All.Count, LogActions.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(LogActions.All, action => Assert.Matches("^[a-z_]+$", action));
    }

    private static async Task<List<LogEntry>> ReadLogAsync(AgentStateServices services, string runId) =>
        [.. (await services.Log.ReadAsync(runId, count: ActivityLog.MaxPageSize)).Entries];

    private static void AssertDetails<TDetails>(LogEntry entry, TDetails expected)
    {
        Assert.True(LogDetailsJson.TryRead<TDetails>(entry, out var details), $"{entry.Action}: {entry.DetailsJson} is not a {typeof(TDetails).Name}");
        Assert.Equal(expected, details);
        // Nothing the entry holds is lost by the record.
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(entry.DetailsJson), JsonNode.Parse(LogDetailsJson.Write(details))),
            $"{entry.Action}: stored {entry.DetailsJson}, the record writes {LogDetailsJson.Write(details)}");
    }
}
