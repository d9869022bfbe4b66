using System.Diagnostics;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Runs;
using StackExchange.Redis;

namespace AgentAspire.Bench.Scenarios;

/// <summary>What the scenarios with real app processes share: the demo agent's input and waiting for the queue to drain.</summary>
internal static class AppRuns
{
    /// <summary>The demo agent's input; the same question every time, so its tools hit the cache after the first run.</summary>
    public const string InputJson = """{"question":"How do Valkey streams keep an activity log?"}""";

    public static NewRun NewRun(string runId) => new(runId, "research", InputJson, "bench-" + runId);

    /// <summary>Waits until every queued run ended (acknowledged entries are deleted, so the queue is empty).</summary>
    public static async Task WaitForDrainedQueueAsync(IDatabase db, TimeSpan timeout, Action checkProcesses)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (await ShardedKeys.QueueLengthAsync(db).ConfigureAwait(false) > 0)
        {
            checkProcesses();
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The queue still holds {await ShardedKeys.QueueLengthAsync(db).ConfigureAwait(false)} runs after {timeout.TotalSeconds} s.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Throws unless exactly <paramref name="expected"/> runs are complete.</summary>
    public static async Task VerifyCompletedAsync(IDatabase db, long expected)
    {
        var complete = await ShardedKeys.RunsInStatusAsync(db, RunStatus.Complete).ConfigureAwait(false);
        if (complete != expected)
        {
            throw new InvalidOperationException($"{complete} runs are complete, expected {expected}.");
        }
    }
}
