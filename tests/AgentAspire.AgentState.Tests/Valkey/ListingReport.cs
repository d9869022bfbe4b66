using System.Diagnostics;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// Reports how the cost of a listing page grows from 1,000 to 100,000 runs, as a ratio within one run; asserts
/// only that the pages are right, never a time.
/// </summary>
public sealed class ListingReport(ValkeyServerFixture server) : ValkeyTest(server)
{
    private const int Pages = 5;
    private const int Rounds = 10;

    [Fact(Timeout = 300_000)]
    public async Task Reports_listing_page_cost_at_one_thousand_and_one_hundred_thousand_runs()
    {
        // Arrange
        var services = Services();
        await CreateRunsAsync(services, 1_000);
        await TimePagesAsync(services); // warm-up: JIT and script loading are not part of the comparison
        var small = await TimePagesAsync(services);
        await CreateRunsAsync(services, 99_000);

        // Act
        var large = await TimePagesAsync(services);

        // Assert (correctness only) and report
        var page = await services.Store.ListAsync(new RunQuery(Status: RunStatus.Queued, Limit: RunQuery.MaxLimit));
        Assert.Equal(RunQuery.MaxLimit, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        var line = $"Listing pages of {RunQuery.MaxLimit} runs filtered by status: " +
            $"{small.TotalMilliseconds / (Pages * Rounds):F2} ms a page at 1,000 runs, {large.TotalMilliseconds / (Pages * Rounds):F2} ms at 100,000 " +
            $"(x{large / small:F2} for 100 times the runs)";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    private static async Task CreateRunsAsync(AgentStateServices services, int count)
    {
        // In batches, so the client never holds 100,000 pending calls at once.
        foreach (var batch in Enumerable.Range(0, count).Chunk(2_000))
        {
            await Task.WhenAll(batch.Select(_ => services.Store.CreateAsync(NewRun(NewRunId()))));
        }
    }

    // Walks the cursor through the first pages (all of them at 1,000 runs) a few times over.
    private static async Task<TimeSpan> TimePagesAsync(AgentStateServices services)
    {
        var started = Stopwatch.GetTimestamp();
        for (var round = 0; round < Rounds; round++)
        {
            string? cursor = null;
            for (var i = 0; i < Pages; i++)
            {
                var page = await services.Store.ListAsync(new RunQuery(Status: RunStatus.Queued, Limit: RunQuery.MaxLimit, Cursor: cursor));
                Assert.Equal(RunQuery.MaxLimit, page.Items.Count);
                cursor = page.NextCursor;
            }
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
