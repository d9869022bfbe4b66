using AgentAspire.AgentApi.Problems;
using AgentAspire.AgentApi.Runs;
using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Replays;
using AgentAspire.AgentState.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentAspire.AgentApi.Replays;

/// <summary>
/// Replays of recorded runs against the code deployed now, and comparisons: <c>POST /runs/{id}/replay</c>,
/// <c>GET /runs/{a}/compare/{b}</c>, <c>POST /replays</c> and <c>GET /replays/{id}</c>.
/// </summary>
internal static class ReplaysApi
{
    // How many listed runs a batch looks at before it asks for a narrower filter.
    private const int MaxScanned = 2000;

    /// <summary>Maps the replay and compare endpoints.</summary>
    public static IEndpointRouteBuilder MapReplaysApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/runs").WithTags("Replays").AddEndpointFilter(RunIdRouteFilter.RejectMalformedIds);
        runs.MapPost("/{id}/replay", ReplayRun)
            .WithName("ReplayRun")
            .WithSummary("Start a replay of an ended run: the current code, with the model and tools answered from the run's record")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapGet("/{id}/compare/{other}", CompareRuns)
            .WithName("CompareRuns")
            .WithSummary("Compare two runs step by step: equal results or a structural diff, the first divergence, tokens, cost and duration")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var replays = app.MapGroup("/replays").WithTags("Replays").AddEndpointFilter(RunIdRouteFilter.RejectMalformedIds);
        replays.MapPost("", ReplayMany)
            .WithName("ReplayMany")
            .WithSummary("Replay every ended run that matches a filter, in recorded mode; the summary fills in as they end")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        replays.MapGet("/{id}", GetReplayBatch)
            .WithName("GetReplayBatch")
            .WithSummary("How a batch of replays stands: identical, differing, diverged, failed and pending, with links")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> ReplayRun(
        string id, ReplayRequest? request, AgentCatalog catalog, RunControl control, RunStore store)
    {
        var mode = request?.Mode ?? ReplayModes.Recorded;
        if (!ReplayModes.All.Contains(mode))
        {
            return ApiProblems.BadRequest($"Unknown mode '{mode}'; expected one of: {string.Join(", ", ReplayModes.All)}.", "Unknown replay mode");
        }

        if (mode == ReplayModes.Recorded && request?.AfterStep is not null)
        {
            return ApiProblems.BadRequest("'afterStep' goes with the live-after mode; a recorded replay answers every step from the record.");
        }

        if (mode == ReplayModes.LiveAfter && request?.AfterStep is null)
        {
            return ApiProblems.BadRequest("""The live-after mode needs 'afterStep', the last step answered from the record: { "mode": "live-after", "afterStep": 2 }.""");
        }

        // Checked before anything is written: the run, its agent and the step.
        var source = await store.GetAsync(id);
        if (source is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        if (!catalog.TryGet(source.Agent, out var agent) || agent.Kind != AgentKinds.Steps)
        {
            return ApiProblems.Conflict($"Run '{id}' is a run of agent '{source.Agent}', which is not a step agent of this app; only the runs of step agents are replayed.", "Run cannot be replayed");
        }

        if (request?.AfterStep is { } afterStep && (afterStep < 1 || afterStep > agent.StepNames.Count))
        {
            return ApiProblems.BadRequest($"'afterStep' must be between 1 and {agent.StepNames.Count} (the steps of agent '{agent.Name}'), got {afterStep}.");
        }

        var started = await control.ReplayAsync(id, mode, request?.AfterStep ?? 0, RunIds.NewRunId(), RunsApi.CurrentTraceParent());
        return started.Outcome switch
        {
            ReplayStartOutcome.Created => TypedResults.Accepted(RunsApi.RunLocation(started.Created!.RunId), new RunAccepted(started.Created.RunId, started.Created.Status)),
            ReplayStartOutcome.NotFound => ApiProblems.RunNotFound(id),
            ReplayStartOutcome.NotEnded => ApiProblems.Conflict($"Run '{id}' is {started.Source!.Status}; only an ended run (complete, failed, cancelled or diverged) is replayed, with its whole record."),
            _ => ApiProblems.Conflict($"The record of run '{id}' (the journal of its calls) has expired; it cannot be replayed.", "Record expired"),
        };
    }

    public static async Task<Results<Ok<RunComparison>, ProblemHttpResult>> CompareRuns(string id, string other, RunComparer comparer)
    {
        var comparison = await comparer.CompareAsync(id, other);
        return comparison is null
            ? ApiProblems.RunNotFound(await comparer.ExistsAsync(id) ? other : id)
            : TypedResults.Ok(comparison);
    }

    public static async Task<Results<Accepted<ReplayBatchSummary>, ProblemHttpResult>> ReplayMany(
        ReplayBatchRequest? request, AgentCatalog catalog, RunStore store, RunControl control, ReplayBatches batches)
    {
        request ??= new ReplayBatchRequest(null, null, null, null, null);
        var limit = request.Limit ?? ReplayBatchRequest.DefaultLimit;
        if (limit is < 1 or > ReplayBatchRequest.MaxLimit)
        {
            return ApiProblems.BadRequest($"'limit' must be between 1 and {ReplayBatchRequest.MaxLimit}, got {limit}.");
        }

        var status = request.Status ?? RunStatus.Complete;
        if (!RunStatus.IsFinal(status))
        {
            return ApiProblems.BadRequest($"'status' must be a status of an ended run: {string.Join(", ", RunStatus.All.Where(RunStatus.IsFinal))}; got '{status}'.");
        }

        if (request.Agent is not null && (!catalog.TryGet(request.Agent, out var agent) || agent.Kind != AgentKinds.Steps))
        {
            return ApiProblems.BadRequest($"'agent' must be a step agent of this app: {string.Join(", ", catalog.All.Where(a => a.Kind == AgentKinds.Steps).Select(a => a.Name))}; got '{request.Agent}'.");
        }

        if (request.Since is { } since && request.Until is { } until && since >= until)
        {
            return ApiProblems.BadRequest($"'since' ({since:O}) must be before 'until' ({until:O}).");
        }

        var (matches, problem) = await MatchingRunsAsync(request, status, limit, catalog, store);
        if (problem is not null)
        {
            return ApiProblems.BadRequest(problem, "Filter too wide");
        }

        var batchId = "replays_" + Guid.NewGuid().ToString("N");
        var pairs = new List<(string Original, string Replay)>();
        foreach (var run in matches)
        {
            var started = await control.ReplayAsync(run.RunId, ReplayModes.Recorded, 0, RunIds.NewRunId(), RunsApi.CurrentTraceParent());
            if (started.Created is { } created)
            {
                pairs.Add((run.RunId, created.RunId));
            }
        }

        await batches.CreateAsync(batchId, pairs);
        return TypedResults.Accepted($"/replays/{batchId}", await SummarizeAsync(batchId, pairs, store));
    }

    public static async Task<Results<Ok<ReplayBatchSummary>, ProblemHttpResult>> GetReplayBatch(string id, ReplayBatches batches, RunStore store)
    {
        var pairs = await batches.GetAsync(id);
        return pairs is null
            ? TypedResults.Problem($"There is no batch of replays '{id}'; it never existed or has expired.", statusCode: StatusCodes.Status404NotFound, title: "Replay batch not found")
            : TypedResults.Ok(await SummarizeAsync(id, pairs, store));
    }

    // The ended runs of step agents that match, newest update first; a filter that matches more than the limit (or
    // makes the scan too long) is refused rather than cut, so a gate never passes on runs it did not look at.
    private static async Task<(List<RunSummary> Matches, string? Problem)> MatchingRunsAsync(
        ReplayBatchRequest request, string status, int limit, AgentCatalog catalog, RunStore store)
    {
        var matches = new List<RunSummary>();
        string? cursor = null;
        var scanned = 0;
        do
        {
            var page = await store.ListAsync(new RunQuery(status, request.Agent, RunQuery.MaxLimit, cursor));
            foreach (var run in page.Items)
            {
                scanned++;
                if (request.Since is { } since && run.UpdatedAt < since)
                {
                    // Listed newest update first: every run after this one was created before the window.
                    return (matches, null);
                }

                var inWindow = (request.Since is null || run.CreatedAt >= request.Since) && (request.Until is null || run.CreatedAt < request.Until);
                if (inWindow && run.ReplayOf is null && catalog.TryGet(run.Agent, out var agent) && agent.Kind == AgentKinds.Steps)
                {
                    matches.Add(run);
                    if (matches.Count > limit)
                    {
                        return (matches, $"The filter matches more than {limit} runs; narrow it (agent, status, since, until) or raise 'limit' (at most {ReplayBatchRequest.MaxLimit}).");
                    }
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null && scanned < MaxScanned);

        return cursor is null
            ? (matches, null)
            : (matches, $"The filter leaves more than {MaxScanned} runs to look through; narrow it with agent, status, since or until.");
    }

    private static async Task<ReplayBatchSummary> SummarizeAsync(string batchId, IReadOnlyList<(string Original, string Replay)> pairs, RunStore store)
    {
        var items = await Task.WhenAll(pairs.Select(async pair =>
        {
            var (original, replay) = (await store.GetAsync(pair.Original), await store.GetAsync(pair.Replay));
            var outcome = original is null || replay is null ? ReplayOutcomes.Failed : RunComparer.OutcomeOf(original, replay);
            return new ReplayBatchItem(pair.Original, pair.Replay, outcome, $"/runs/{pair.Original}/compare/{pair.Replay}");
        }));
        int Count(string outcome) => items.Count(item => item.Outcome == outcome);
        return new ReplayBatchSummary(batchId, Count(ReplayOutcomes.Pending) == 0,
            Count(ReplayOutcomes.Identical), Count(ReplayOutcomes.Differs), Count(ReplayOutcomes.Diverged), Count(ReplayOutcomes.Failed), Count(ReplayOutcomes.Pending), items);
    }
}
