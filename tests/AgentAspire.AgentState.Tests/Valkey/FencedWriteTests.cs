using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>Every write a worker makes for a run, not only the commit, is refused once another worker took it over.</summary>
public sealed class FencedWriteTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 30_000)]
    public async Task A_zombie_appends_nothing_to_the_log_after_a_takeover_and_learns_it_lost_the_run()
    {
        // Arrange: A claims; its lease goes (as if it expired during a pause); B claims the run
        var services = Services();
        var runId = NewRunId();
        var zombie = await CreateAndClaimAsync(services, runId, "worker-a");
        Assert.True(await zombie.AppendAsync("tool_call", """{"tool":"before"}""", 1));
        await Db.KeyDeleteAsync(AgentKeys.Lease(runId));
        await services.Queue.EnqueueAsync(runId, null);
        var entryB = Assert.Single(await ReadEntriesAsync(services.Queue, "worker-b", runId));
        var successor = (await services.Leases.ClaimAsync(entryB, "worker-b")).Lease!;
        var logLengthBefore = await Db.StreamLengthAsync(AgentKeys.Log(runId));

        // Act
        var appended = await zombie.AppendAsync("tool_call", """{"tool":"after"}""", 1);

        // Assert
        Assert.False(appended);
        Assert.True(zombie.Lost.IsCancellationRequested);
        Assert.Equal(logLengthBefore, await Db.StreamLengthAsync(AgentKeys.Log(runId)));
        Assert.True(await successor.AppendAsync("tool_call", """{"tool":"successor"}""", 1));
        Assert.False(successor.Lost.IsCancellationRequested);
        var entries = await services.Log.ReadAsync(runId);
        Assert.DoesNotContain(entries.Entries, entry => entry.DetailsJson.Contains("after", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_lease_check_answers_held_then_fenced_after_a_takeover_and_stopped_after_a_cancel()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        var lease = await CreateAndClaimAsync(services, runId, "worker-a");
        var otherRunId = NewRunId();
        var cancelled = await CreateAndClaimAsync(services, otherRunId, "worker-a");

        // Act
        var heldBefore = await lease.IsHeldAsync();
        await Db.StringSetAsync(AgentKeys.Lease(runId), "worker-b/other");
        var heldAfter = await lease.IsHeldAsync();
        await services.Provider.GetRequiredService<RunControl>().CancelAsync(otherRunId);
        var heldAfterCancel = await cancelled.IsHeldAsync();

        // Assert
        Assert.True(heldBefore);
        Assert.False(heldAfter);
        Assert.True(lease.Lost.IsCancellationRequested);
        Assert.False(heldAfterCancel);
        Assert.True(cancelled.Stopped.IsCancellationRequested);
        Assert.False(cancelled.Lost.IsCancellationRequested);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_append_without_a_lease_still_needs_the_run_to_exist()
    {
        // Arrange
        var services = Services();
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));

        // Act
        var appended = await services.Log.AppendAsync(runId, "note", "{}");
        var orphan = await services.Log.AppendAsync(NewRunId(), "note", "{}");

        // Assert
        Assert.NotNull(appended);
        Assert.Null(orphan);
    }
}
