using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentAspire.AgentState.Tests.Valkey;

public sealed class ListingTests(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task Pages_of_a_hundred_cover_every_run_once_newest_first_and_filters_hold()
    {
        // Arrange
        var services = Services();
        var expected = await CreateRunsAsync(services, 250);

        // Act
        var all = await ListAllAsync(services.Store, new RunQuery(Limit: 100));

        // Assert: every run once, newest update first
        Assert.Equal(250, all.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), all.Select(run => run.RunId).Order(StringComparer.Ordinal));
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(pair.First.UpdatedAt >= pair.Second.UpdatedAt));
        Assert.All(all, run => Assert.Equal(expected[run.RunId], (run.Agent, run.Status)));

        foreach (var status in RunStatus.All)
        {
            var byStatus = await ListAllAsync(services.Store, new RunQuery(Status: status, Limit: 100));
            Assert.Equal(expected.Count(pair => pair.Value.Status == status), byStatus.Count);
            Assert.All(byStatus, run => Assert.Equal(status, run.Status));
            Assert.Equal(byStatus.Count, byStatus.Select(run => run.RunId).Distinct().Count());
        }

        foreach (var agent in new[] { "alpha", "beta" })
        {
            var byAgent = await ListAllAsync(services.Store, new RunQuery(Agent: agent, Limit: 100));
            Assert.Equal(125, byAgent.Count);
            Assert.All(byAgent, run => Assert.Equal(agent, run.Agent));
        }

        var both = await ListAllAsync(services.Store, new RunQuery(Status: RunStatus.Complete, Agent: "beta", Limit: 7));
        Assert.Equal(expected.Count(pair => pair.Value == ("beta", RunStatus.Complete)), both.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_deleted_run_disappears_from_listings_with_every_key_of_it()
    {
        // Arrange
        var services = Services();
        var runs = await CreateRunsAsync(services, 10);
        var victim = runs.First(pair => pair.Value.Status == RunStatus.InProgress).Key;

        // Act
        var deleted = await services.Store.DeleteAsync(victim);
        var deletedAgain = await services.Store.DeleteAsync(victim);

        // Assert
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.DoesNotContain(victim, (await ListAllAsync(services.Store, new RunQuery(Limit: 100))).Select(run => run.RunId));
        Assert.DoesNotContain(victim, (await ListAllAsync(services.Store, new RunQuery(Status: RunStatus.InProgress))).Select(run => run.RunId));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.State(victim)));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Log(victim)));
        Assert.False(await Db.KeyExistsAsync(AgentKeys.Lease(victim)));
        Assert.Null(await services.Store.GetAsync(victim));
        Assert.Equal(9, (await ListAllAsync(services.Store, new RunQuery(Limit: 100))).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_expired_run_is_dropped_from_listings_and_from_the_index()
    {
        // Arrange
        var services = Services();
        var runs = await CreateRunsAsync(services, 10);
        var expired = runs.Keys.First();
        await Db.KeyDeleteAsync(AgentKeys.State(expired));

        // Act
        var listed = await ListAllAsync(services.Store, new RunQuery(Limit: 3));

        // Assert
        Assert.Equal(9, listed.Count);
        Assert.DoesNotContain(expired, listed.Select(run => run.RunId));
        Assert.Null(await IndexScoreAsync(expired));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_stale_status_entry_is_dropped_from_that_listing_and_from_its_index()
    {
        // Arrange: a queued run cancelled while the index write of the change was lost: the queued index still lists it
        var services = Services();
        var runs = await CreateRunsAsync(services, 4);
        var moved = runs.First(pair => pair.Value.Status == RunStatus.Queued).Key;
        await Db.HashSetAsync(AgentKeys.State(moved), "status", RunStatus.Cancelled);
        Assert.NotNull(await IndexScoreAsync(moved, RunStatus.Queued));

        // Act
        var queued = await ListAllAsync(services.Store, new RunQuery(Status: RunStatus.Queued, Limit: 2));

        // Assert: gone from the queued listing and its index; still listed among all runs, with its true status
        Assert.DoesNotContain(moved, queued.Select(run => run.RunId));
        Assert.Null(await IndexScoreAsync(moved, RunStatus.Queued));
        Assert.Equal(RunStatus.Cancelled, (await ListAllAsync(services.Store, new RunQuery(Limit: 100))).Single(run => run.RunId == moved).Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_index_entry_comes_back_with_the_runs_next_status_change()
    {
        // Arrange: a queued run whose index writes were lost: no listing can find it
        var services = Services();
        var runId = NewRunId();
        await services.Store.CreateAsync(NewRun(runId));
        var shard = AgentKeys.ShardOf(runId, AgentKeys.RunIndexShards);
        await Db.SortedSetRemoveAsync(AgentKeys.RunIndex(shard), runId);
        await Db.SortedSetRemoveAsync(AgentKeys.RunIndexByStatus(shard, RunStatus.Queued), runId);
        Assert.DoesNotContain(runId, (await ListAllAsync(services.Store, new RunQuery(Limit: 100))).Select(run => run.RunId));

        // Act: the run's next status change
        var moved = await services.Store.TransitionAsync(new RunTransition(runId, [RunStatus.Queued], RunStatus.Cancelled, "cancelled"));

        // Assert: listed again, among all runs and by its new status
        Assert.True(moved.Changed, $"transition: {moved.Outcome}");
        Assert.Contains(runId, (await ListAllAsync(services.Store, new RunQuery(Limit: 100))).Select(run => run.RunId));
        Assert.Contains(runId, (await ListAllAsync(services.Store, new RunQuery(Status: RunStatus.Cancelled, Limit: 100))).Select(run => run.RunId));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_listing_shows_what_each_run_was_asked_and_a_fork_asks_the_same()
    {
        // Arrange
        var services = Services();
        var inputs = new Dictionary<string, (string Input, string? Summary)>
        {
            [NewRunId()] = ("""{"question":"How do streams keep a log?","stepDelayMs":0}""", "How do streams keep a log?"),
            [NewRunId()] = ("\"A plain\\nquestion\"", "A plain question"),
            [NewRunId()] = ("""{"topic":"streams"}""", """{"topic":"streams"}"""),
            [NewRunId()] = ("null", null),
        };
        foreach (var (runId, (input, _)) in inputs)
        {
            await services.Store.CreateAsync(NewRun(runId, agent: "summaries", input: input));
        }

        var source = inputs.Keys.First();
        var fork = await services.Provider.GetRequiredService<RunControl>().ForkAsync(source, 1, NewRunId());

        // Act
        var listed = (await ListAllAsync(services.Store, new RunQuery(Agent: "summaries", Limit: 10))).ToDictionary(run => run.RunId);

        // Assert
        Assert.Equal(inputs.Count + 1, listed.Count);
        Assert.All(inputs, pair => Assert.Equal(pair.Value.Summary, listed[pair.Key].InputSummary));
        Assert.Equal("How do streams keep a log?", listed[fork!.RunId].InputSummary);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(0, null, null)]
    [InlineData(201, null, null)]
    [InlineData(10, "running", null)]
    [InlineData(10, null, "garbage")]
    public async Task Listing_refuses_a_bad_limit_status_or_cursor(int limit, string? status, string? cursor)
    {
        // Arrange
        var services = Services();

        // Act and Assert
        await Assert.ThrowsAnyAsync<ArgumentException>(() => services.Store.ListAsync(new RunQuery(status, null, limit, cursor)));
    }

    private static async Task<List<RunSummary>> ListAllAsync(RunStore store, RunQuery query)
    {
        var items = new List<RunSummary>();
        var cursor = query.Cursor;
        for (var page = 0; page < 100; page++)
        {
            var result = await store.ListAsync(query with { Cursor = cursor });
            Assert.True(result.Items.Count <= query.Limit);
            items.AddRange(result.Items);
            cursor = result.NextCursor;
            if (cursor is null)
            {
                Assert.Equal(items.Count, items.Select(run => run.RunId).Distinct().Count());
                return items;
            }
        }

        throw new InvalidOperationException("The listing did not end within 100 pages.");
    }

    /// <summary>
    /// Creates runs of two agents across every status a worker or the API gives them, all at once, so the index writes
    /// of many runs share batches as they do under load.
    /// </summary>
    private static async Task<Dictionary<string, (string Agent, string Status)>> CreateRunsAsync(AgentStateServices services, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"run_{i:D4}_{Guid.NewGuid():N}"[..20]).ToList();
        await Task.WhenAll(ids.Select((id, i) => services.Store.CreateAsync(NewRun(id, agent: i % 2 == 0 ? "alpha" : "beta"))));

        var entries = new List<Queue.QueueEntry>();
        while (entries.Count < count)
        {
            var read = await services.Queue.ReadAsync("worker", 100);
            Assert.NotEmpty(read);
            entries.AddRange(read);
        }

        var statuses = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var agent = i % 2 == 0 ? "alpha" : "beta";
            var entry = entries.Single(entry => entry.RunId == ids[i]);
            string status;
            switch (i % 6)
            {
                case 0:
                    status = RunStatus.Queued;
                    break;
                case 1:
                    await Claim(entry);
                    status = RunStatus.InProgress;
                    break;
                case 2:
                    await (await Claim(entry)).CommitStepAsync(1, "only", "{}", "{}", isLastStep: true);
                    status = RunStatus.Complete;
                    break;
                case 3:
                    await (await Claim(entry)).FailAsync("boom");
                    status = RunStatus.Failed;
                    break;
                case 4:
                    await (await Claim(entry)).AwaitApprovalAsync(1, "go on?");
                    status = RunStatus.Waiting;
                    break;
                default:
                    var cancelled = await services.Store.TransitionAsync(new RunTransition(ids[i], [RunStatus.Queued], RunStatus.Cancelled, "cancelled"));
                    Assert.True(cancelled.Changed);
                    status = RunStatus.Cancelled;
                    break;
            }

            return (Id: ids[i], Agent: agent, Status: status);
        }));

        return statuses.ToDictionary(run => run.Id, run => (run.Agent, run.Status));

        async Task<RunLease> Claim(Queue.QueueEntry entry)
        {
            var claim = await services.Leases.ClaimAsync(entry, "worker");
            Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
            return claim.Lease!;
        }
    }
}
