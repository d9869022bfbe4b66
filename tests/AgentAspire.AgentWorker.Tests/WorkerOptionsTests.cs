using AgentAspire.AgentState.Tests.Valkey;
using AgentAspire.AgentWorker.Tests.TestAgents;
using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker.Tests;

/// <summary>Unusable worker settings stop the worker at start, with every problem named, before it touches Valkey.</summary>
public sealed class WorkerOptionsTests(ValkeyServerFixture server) : WorkerTest(server)
{
    [Fact(Timeout = 60_000)]
    public async Task A_worker_with_no_run_slots_and_no_poll_interval_refuses_to_start_naming_both_settings()
    {
        // Arrange
        var worker = await WorkerHost.CreateAsync(Server, new StepGate(), "worker-a", new Dictionary<string, string?>
        {
            ["Worker:MaxConcurrentRuns"] = "0",
            ["Worker:PollInterval"] = "00:00:00",
        });
        await using var disposing = worker;

        // Act
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(worker.StartAsync);

        // Assert
        Assert.Contains("Worker:MaxConcurrentRuns is 0; it must be at least 1, or the worker never runs anything.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Worker:PollInterval must be positive.", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Server.AllKeysAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_worker_with_usable_settings_starts_and_stops()
    {
        // Arrange
        var worker = await WorkerHost.CreateAsync(Server, new StepGate(), "worker-a", new Dictionary<string, string?>
        {
            ["Worker:MaxConcurrentRuns"] = "1",
        });
        await using var disposing = worker;

        // Act
        await worker.StartAsync();
        await worker.Logs.WaitForAsync(Wait, "Worker worker-a started; up to 1 runs at once.");
        await worker.StopAsync();

        // Assert
        await worker.Logs.WaitForAsync(Wait, "Worker worker-a stopped");
    }
}
