using System.Diagnostics;
using System.Globalization;
using AgentAspire.AgentState.Leases;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Valkey;

/// <summary>
/// Prints no-op steps per second and Valkey CPU per run (INFO cpu before and after, summed over the primaries) with
/// 1, 2 and 4 workers, each with its own connection and services as a worker process has; run it on one server and
/// on the cluster (<c>AGENTSTATE_TEST_TOPOLOGY=cluster</c>) to compare. Reports only, asserts no time.
/// </summary>
public sealed class ScalingReport(ValkeyServerFixture server) : ValkeyTest(server)
{
    private const int Runs = 1200;
    private const int Steps = 3;
    private const int RunsPerWorker = 64;

    [Fact(Timeout = 300_000)]
    public async Task Reports_steps_per_second_and_valkey_cpu_per_run_for_one_two_and_four_workers()
    {
        var topology = ValkeyServerFixture.IsCluster ? $"cluster of {Server.Primaries.Count} primaries" : "one server";
        foreach (var workers in new[] { 1, 2, 4 })
        {
            // Arrange: queued runs, and the workers' own connections
            await Server.FlushAsync();
            var creator = Services();
            var ids = Enumerable.Range(0, Runs).Select(_ => NewRunId()).ToList();
            await Task.WhenAll(ids.Select(id => creator.Store.CreateAsync(NewRun(id))));
            var pool = new List<AgentStateServices>();
            for (var i = 0; i < workers; i++)
            {
                pool.Add(Services(connection: await Server.ConnectAsync()));
            }

            var done = 0;
            var cpuBefore = await ValkeyCpuSecondsAsync();

            // Act: each worker reads, claims, commits and acknowledges until every run is complete
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(pool.Select((services, i) => WorkAsync(services, $"worker-{i}", () => Interlocked.Increment(ref done), () => Volatile.Read(ref done) >= Runs)))
                .WaitAsync(TimeSpan.FromSeconds(240), Cancellation);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = await ValkeyCpuSecondsAsync() - cpuBefore;

            // Assert (correctness only) and report
            Assert.Equal(Runs, done);
            Assert.Equal(0, await PendingAsync());
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{topology}, {workers} worker(s): {Runs * Steps / elapsed.TotalSeconds:F0} steps/s, {Runs / elapsed.TotalSeconds:F0} runs/s, Valkey CPU {cpu * 1e6 / Runs:F0} µs per run (claim, {Steps} commits, ack)");
            TestContext.Current.TestOutputHelper?.WriteLine(line);
            TestContext.Current.SendDiagnosticMessage(line);
        }
    }

    private static async Task WorkAsync(AgentStateServices services, string worker, Func<int> completed, Func<bool> finished)
    {
        var inFlight = new List<Task>();
        while (!finished())
        {
            inFlight.RemoveAll(task => task.IsCompleted);
            var free = RunsPerWorker - inFlight.Count;
            var entries = free > 0 ? await services.Queue.ReadAsync(worker, free) : [];
            inFlight.AddRange(entries.Select(async entry =>
            {
                var claim = await services.Leases.ClaimAsync(entry, worker);
                for (var step = 1; step <= Steps; step++)
                {
                    Assert.NotEqual(CommitOutcome.Fenced, await claim.Lease!.CommitStepAsync(step, $"step{step}", "{}", "{}", isLastStep: step == Steps));
                }

                completed();
            }));
            if (entries.Count == 0)
            {
                await (inFlight.Count > 0 ? Task.WhenAny(inFlight) : Task.Delay(1));
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task<double> ValkeyCpuSecondsAsync()
    {
        var total = 0.0;
        foreach (var primary in Server.Primaries)
        {
            var cpu = (await primary.InfoAsync("cpu")).SelectMany(group => group).ToDictionary(pair => pair.Key, pair => pair.Value);
            total += double.Parse(cpu["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(cpu["used_cpu_user"], CultureInfo.InvariantCulture);
        }

        return total;
    }
}
