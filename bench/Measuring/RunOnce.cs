using AgentAspire.AgentState;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Queue;
using AgentAspire.AgentState.Runs;

namespace AgentAspire.Bench.Measuring;

/// <summary>The product's life of one 3-step no-op run, driven through AgentState as a worker and the API drive it.</summary>
internal static class RunOnce
{
    public const int Steps = 3;

    /// <summary>A step result about the size of the cookbook's examples.</summary>
    public const string ResultJson = """{"search_results":["Valkey streams keep an ordered log","a HASH holds the checkpoint"]}""";

    public const string DetailsJson = """{"query":"Valkey benchmarks"}""";

    public static NewRun NewRun(string runId) => new(runId, "bench", """{"question":"Valkey benchmarks"}""", "bench-" + runId);

    /// <summary>Create and queue.</summary>
    public static async Task CreateAsync(AgentStateServices services, string runId)
    {
        var created = await services.Store.CreateAsync(NewRun(runId)).ConfigureAwait(false);
        if (created.Outcome != CreateRunOutcome.Created)
        {
            throw new InvalidOperationException($"Run {runId} was not created: {created.Outcome}.");
        }
    }

    /// <summary>Read one queue entry, claim its run, commit every step; the last commit completes and acknowledges.</summary>
    /// <returns>False when the queue had nothing to read.</returns>
    public static async Task<bool> WorkOneAsync(AgentStateServices services, string worker)
    {
        if (await ReadOneAsync(services, worker).ConfigureAwait(false) is not { } entry)
        {
            return false;
        }

        var claim = await services.Leases.ClaimAsync(entry, worker).ConfigureAwait(false);
        if (claim.Lease is not { } lease)
        {
            throw new InvalidOperationException($"Run {entry.RunId} was not claimed: {claim.Outcome} ({claim.Status}).");
        }

        for (var step = 1; step <= Steps; step++)
        {
            var outcome = await lease.CommitStepAsync(step, "step" + step, ResultJson, DetailsJson, isLastStep: step == Steps).ConfigureAwait(false);
            var expected = step == Steps ? CommitOutcome.Completed : CommitOutcome.Committed;
            if (outcome != expected)
            {
                throw new InvalidOperationException($"Run {lease.RunId}: commit of step {step} answered {outcome}, expected {expected}.");
            }
        }

        return true;
    }

    /// <summary>
    /// Reads one queue entry. The queue is sharded and a read that no wake-up steered takes the next shard in turn
    /// (shared by every lane), so only several empty reads in a row mean an empty queue.
    /// </summary>
    public static async Task<QueueEntry?> ReadOneAsync(AgentStateServices services, string worker)
    {
        for (var read = 0; read < EmptyReadsBeforeEmpty; read++)
        {
            if (await services.Queue.ReadAsync(worker, 1).ConfigureAwait(false) is [var entry, ..])
            {
                return entry;
            }
        }

        return null;
    }

    private static readonly int EmptyReadsBeforeEmpty = 16 * new AgentStateOptions().QueueShards;

    /// <summary>The whole life: create and queue, read, claim, three commits, acknowledge.</summary>
    public static async Task WholeLifeAsync(AgentStateServices services, string worker)
    {
        await CreateAsync(services, RunIds.NewRunId()).ConfigureAwait(false);
        if (!await WorkOneAsync(services, worker).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A created run was not in the queue.");
        }
    }
}
