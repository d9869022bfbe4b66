using System.Diagnostics;
using AgentAspire.AgentState.Leases;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>Prints how many no-op steps per second one process commits; reports only, asserts no time.</summary>
public sealed class ThroughputReport(ValkeyServerFixture server) : ValkeyTest(server)
{
    [Fact(Timeout = 120_000)]
    public async Task Reports_no_op_steps_per_second_for_concurrent_runs_on_one_connection()
    {
        // Arrange: 1,000 queued runs of 3 steps
        const int runs = 1000;
        const int steps = 3;
        var services = Services();

        // Warm-up: one run loads every script on the server, so the timed part measures EVALSHA, not first loads.
        var warmUp = await CreateAndClaimAsync(services, NewRunId(), "bench");
        for (var step = 1; step <= steps; step++)
        {
            await warmUp.CommitStepAsync(step, $"step{step}", "{}", "{}", isLastStep: step == steps);
        }

        var ids = Enumerable.Range(0, runs).Select(_ => NewRunId()).ToList();
        await Task.WhenAll(ids.Select(id => services.Store.CreateAsync(NewRun(id))));
        var entries = new List<Queue.QueueEntry>();
        while (entries.Count < runs)
        {
            entries.AddRange(await services.Queue.ReadAsync("bench", 500));
        }

        // Act: every run claimed and committed concurrently over the one multiplexer
        var started = Stopwatch.GetTimestamp();
        var outcomes = await Task.WhenAll(entries.Select(async entry =>
        {
            var claim = await services.Leases.ClaimAsync(entry, "bench");
            var outcome = CommitOutcome.Fenced;
            for (var step = 1; step <= steps; step++)
            {
                outcome = await claim.Lease!.CommitStepAsync(step, $"step{step}", "{}", "{}", isLastStep: step == steps);
            }

            return outcome;
        })).WaitAsync(TimeSpan.FromSeconds(100), Cancellation);
        var elapsed = Stopwatch.GetElapsedTime(started);

        // Assert (correctness only) and report
        Assert.All(outcomes, outcome => Assert.Equal(CommitOutcome.Completed, outcome));
        Assert.Equal(0, await PendingAsync());
        var stepsPerSecond = runs * steps / elapsed.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{runs} runs x {steps} no-op steps (claim + commits + ack) in {elapsed.TotalMilliseconds:F0} ms: {stepsPerSecond:F0} steps/s, {runs / elapsed.TotalSeconds:F0} runs/s");
        TestContext.Current.SendDiagnosticMessage($"AgentState throughput: {stepsPerSecond:F0} no-op steps/s on one connection");
    }
}
