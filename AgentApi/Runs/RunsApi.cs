using System.Diagnostics;
using System.Text.Json;
using AgentAspire.AgentApi.Problems;
using AgentAspire.Agents;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Checkpoints;
using AgentAspire.AgentState.Json;
using AgentAspire.AgentState.Logs;
using AgentAspire.AgentState.Runs;
using AgentAspire.AgentState.Tools;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgentAspire.AgentApi.Runs;

/// <summary>The runs endpoints: start, list, inspect, follow, cancel, resume, approve, fork and delete runs.</summary>
public static class RunsApi
{
    private const int DefaultListLimit = 50;
    private const int DefaultLogCount = 100;

    /// <summary>Maps <c>/runs</c> and everything under it.</summary>
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        // Every route with an {id} answers a malformed run id with 400 before its handler runs.
        var api = app.MapGroup("/runs").WithTags("Runs").AddEndpointFilter(RunIdRouteFilter.RejectMalformedIds);

        api.MapPost("", StartRun)
            .WithName("StartRun")
            .WithSummary("Start a run of an agent; with an Idempotency-Key, the same key and body always answer the same run")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("", ListRuns)
            .WithName("ListRuns")
            .WithSummary("List runs newest update first, by status, agent and whether they are replays, a page at a time")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/{id}", GetRun)
            .WithName("GetRun")
            .WithSummary("Get a run with its steps, results, input and pending approval")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/log", GetRunLog)
            .WithName("GetRunLog")
            .WithSummary("Read a page of a run's activity log after a stream id")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/events", StreamRunEvents)
            .WithName("StreamRunEvents")
            .WithSummary("Follow a run's activity log live as Server-Sent Events, from Last-Event-ID; the stream ends with the run")
            .Produces<RunLogEntry>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id}/cancel", CancelRun)
            .WithName("CancelRun")
            .WithSummary("Cancel a queued, running or waiting run")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{id}/resume", ResumeRun)
            .WithName("ResumeRun")
            .WithSummary("Queue a failed or cancelled run again; it continues after its last committed step")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/{id}/approve", ApproveRun)
            .WithName("ApproveRun")
            .WithSummary("Approve or reject the step a waiting run asks about")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/{id}/fork", ForkRun)
            .WithName("ForkRun")
            .WithSummary("Start a new run that keeps this run's steps before fromStep and runs the rest again")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapDelete("/{id}", DeleteRun)
            .WithName("DeleteRun")
            .WithSummary("Delete a run and every key it has, cancelling it first if it is still going")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    // The header is bound only so that the OpenAPI document lists it; it is read with its count checked.
    public static Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> StartRun(
        StartRunRequest? request,
        [FromHeader(Name = IdempotencyKey.HeaderName)] string? idempotencyKey,
        HttpContext context,
        AgentCatalog catalog,
        RunStore store) =>
        StartRunAsync(request, IdempotencyKey.Read(context.Request.Headers), catalog, store);

    /// <summary>Starts a run: every face of the API (HTTP, MCP) checks and writes through this one path.</summary>
    internal static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> StartRunAsync(
        StartRunRequest? request,
        IdempotencyKeyReading idempotencyKey,
        AgentCatalog catalog,
        RunStore store)
    {
        // Everything is checked before anything is written.
        if (request is null)
        {
            return ApiProblems.BadRequest("""A JSON body is required: { "agent": "research", "input": { "question": "..." } }.""", "Missing body");
        }

        if (string.IsNullOrEmpty(request.Agent) || !catalog.TryGet(request.Agent, out var agent))
        {
            var known = string.Join(", ", catalog.All.Select(a => a.Name));
            return ApiProblems.BadRequest(
                string.IsNullOrEmpty(request.Agent) ? $"'agent' is required; known agents: {known}." : $"Unknown agent '{request.Agent}'; known agents: {known}.",
                "Unknown agent");
        }

        var input = request.Input ?? JsonSerializer.SerializeToElement<object?>(null);
        // Stored compact, so what is stored is never larger than what was validated; text that is not valid
        // Unicode (a lone surrogate escape, invalid UTF-8) fails here, before anything reads it.
        if (StoredJson.TryCompact(input) is not { } inputJson)
        {
            return ApiProblems.BadRequest(
                "The input holds text that is not valid Unicode (invalid UTF-8 or a lone UTF-16 surrogate such as \\ud800).", "Malformed input");
        }

        try
        {
            agent.ReadInput(input);
        }
        catch (AgentInputException ex)
        {
            return ApiProblems.BadRequest(ex.Message, $"The input is not valid for agent '{agent.Name}'");
        }

        var (budget, budgetError) = request.Budget?.Read() ?? (null, null);
        if (budgetError is not null)
        {
            return ApiProblems.BadRequest(budgetError, "Malformed budget");
        }

        if (idempotencyKey.Error is { } keyError)
        {
            return ApiProblems.BadRequest(keyError, "Malformed Idempotency-Key");
        }

        var key = idempotencyKey.Key;

        var requestHash = CanonicalJson.Hash(JsonSerializer.Serialize(new { agent = agent.Name, input, budget }));
        var runId = key is null ? RunIds.NewRunId() : IdempotencyKey.RunIdFor(key);
        var created = await store.CreateAsync(new NewRun(runId, agent.Name, inputJson, requestHash, CurrentTraceParent()) { Budget = budget });

        return created.Outcome == CreateRunOutcome.Conflict
            ? ApiProblems.Conflict(
                $"The {IdempotencyKey.HeaderName} was already used with a different body, for run '{runId}'; use a new key for a new request.",
                "Idempotency-Key reused")
            : TypedResults.Accepted(RunLocation(runId), new RunAccepted(runId, created.Status));
    }

    public static async Task<Results<Ok<RunList>, ProblemHttpResult>> ListRuns(
        string? status,
        string? agent,
        int? limit,
        string? cursor,
        string? replays,
        AgentCatalog catalog,
        RunStore store)
    {
        if (replays is not (null or "all" or "only" or "exclude"))
        {
            return ApiProblems.BadRequest($"'replays' must be all, only or exclude, got '{replays}'.");
        }

        bool? onlyReplays = replays switch { "only" => true, "exclude" => false, _ => null };

        var pageSize = limit ?? DefaultListLimit;
        if (pageSize is < 1 or > RunQuery.MaxLimit)
        {
            return ApiProblems.BadRequest($"'limit' must be between 1 and {RunQuery.MaxLimit}, got {pageSize}.");
        }

        if (status is not null && !RunStatus.IsValid(status))
        {
            return ApiProblems.BadRequest($"Unknown status '{status}'; expected one of: {string.Join(", ", RunStatus.All)}.");
        }

        if (agent is not null && !catalog.TryGet(agent, out _))
        {
            return ApiProblems.BadRequest($"Unknown agent '{agent}'; known agents: {string.Join(", ", catalog.All.Select(a => a.Name))}.");
        }

        RunPage page;
        try
        {
            page = await store.ListAsync(new RunQuery(status, agent, pageSize, cursor) { Replays = onlyReplays });
        }
        catch (ArgumentException ex)
        {
            // The store checks the cursor: only one it returned is accepted.
            return ApiProblems.BadRequest(FirstSentence(ex), "Malformed cursor");
        }

        var items = page.Items
            .Select(run => new RunListItem(run.RunId, run.Agent, run.Status, run.CurrentStep, run.CreatedAt, run.UpdatedAt, run.Error, run.InputSummary, RunUsage.From(run.Usage), run.ReplayOf))
            .ToList();
        return TypedResults.Ok(new RunList(items, page.NextCursor));
    }

    public static async Task<Results<Ok<RunDetails>, ProblemHttpResult>> GetRun(string id, RunStore store)
    {
        var run = await store.GetAsync(id);
        return run is null ? ApiProblems.RunNotFound(id) : TypedResults.Ok(ToDetails(run));
    }

    public static async Task<Results<Ok<RunLog>, ProblemHttpResult>> GetRunLog(
        string id,
        string? from,
        int? count,
        RunStore store,
        ActivityLog log)
    {
        if (from is not null && !StreamIds.IsValid(from))
        {
            return ApiProblems.BadRequest($"'from' must be a stream entry id such as 1710000000000-0, got '{from}'.", "Malformed stream id");
        }

        var pageSize = count ?? DefaultLogCount;
        if (pageSize is < 1 or > ActivityLog.MaxPageSize)
        {
            return ApiProblems.BadRequest($"'count' must be between 1 and {ActivityLog.MaxPageSize}, got {pageSize}.");
        }

        if (await store.GetAsync(id) is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        var page = await log.ReadAsync(id, from, pageSize);
        return TypedResults.Ok(new RunLog(page.Entries.Select(ToLogEntry).ToList(), page.Next));
    }

    public static async Task<IResult> StreamRunEvents(
        string id,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        string? from,
        RunStore store)
    {
        // A reconnecting EventSource sends the last id it saw; it wins over the query.
        var after = lastEventId ?? from;
        if (after is not null && !StreamIds.IsValid(after))
        {
            return ApiProblems.BadRequest($"Last-Event-ID or 'from' must be a stream entry id such as 1710000000000-0, got '{after}'.", "Malformed stream id");
        }

        var run = await store.GetAsync(id);
        return run is null ? ApiProblems.RunNotFound(id) : new RunEventStream(id, after, RunStatus.IsFinal(run.Status));
    }

    public static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> CancelRun(string id, RunControl control)
    {
        var result = await control.CancelAsync(id);
        return result.Outcome switch
        {
            TransitionOutcome.Changed => TypedResults.Accepted(RunLocation(id), new RunAccepted(id, RunStatus.Cancelled)),
            TransitionOutcome.Missing => ApiProblems.RunNotFound(id),
            _ => ApiProblems.Conflict($"The run is {result.PreviousStatus}; only {RunStateMachine.Describe(RunAction.Cancel)} can be cancelled."),
        };
    }

    public static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> ResumeRun(string id, RunControl control)
    {
        var result = await control.ResumeAsync(id);
        return result.Outcome switch
        {
            TransitionOutcome.Changed => TypedResults.Accepted(RunLocation(id), new RunAccepted(id, RunStatus.Queued)),
            TransitionOutcome.Missing => ApiProblems.RunNotFound(id),
            TransitionOutcome.Busy => ApiProblems.Conflict(
                $"The run is {result.PreviousStatus} but the worker that ran it still holds its lease; try again once it lets go.", "The run is busy"),
            _ => ApiProblems.Conflict($"The run is {result.PreviousStatus}; only {RunStateMachine.Describe(RunAction.Resume)} can be resumed."),
        };
    }

    public static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> ApproveRun(
        string id,
        ApproveRequest? request,
        RunStore store,
        RunControl control)
    {
        if (request?.Approved is not { } approved)
        {
            return ApiProblems.BadRequest("""'approved' is required: { "approved": true, "comment": "..." }.""");
        }

        if (request.Comment is { Length: > ApproveRequest.MaxCommentLength })
        {
            return ApiProblems.BadRequest($"'comment' must be at most {ApproveRequest.MaxCommentLength} characters, got {request.Comment.Length}.");
        }

        var (budget, budgetError) = request.Budget?.Read() ?? (null, null);
        if (budgetError is not null)
        {
            return ApiProblems.BadRequest(budgetError, "Malformed budget");
        }

        if (budget is not null && !approved)
        {
            return ApiProblems.BadRequest("'budget' goes with an approval; a rejection sets no budget.");
        }

        var run = await store.GetAsync(id);
        if (run is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        if (PendingApprovalOf(run) is not { } pending)
        {
            return ApiProblems.Conflict($"The run is {run.Status} and waits for no approval; only {RunStateMachine.Describe(RunAction.Decide)} can be approved or rejected.");
        }

        var result = await control.DecideAsync(id, pending.Step, approved, request.Comment, budget);
        return result.Outcome switch
        {
            TransitionOutcome.Changed => TypedResults.Accepted(RunLocation(id), new RunAccepted(id, RunStatus.Queued)),
            TransitionOutcome.Missing => ApiProblems.RunNotFound(id),
            // Another decision got there first.
            _ => ApiProblems.Conflict($"The run is {result.PreviousStatus} and waits for no approval; only {RunStateMachine.Describe(RunAction.Decide)} can be approved or rejected."),
        };
    }

    public static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> ForkRun(
        string id,
        ForkRequest? request,
        RunControl control)
    {
        if (request?.FromStep is not { } fromStep)
        {
            return ApiProblems.BadRequest("""'fromStep' is required: { "fromStep": 2 } keeps step 1 and runs step 2 onwards again.""");
        }

        CreateRunResult? fork;
        try
        {
            fork = await control.ForkAsync(id, fromStep, RunIds.NewRunId(), CurrentTraceParent());
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return ApiProblems.BadRequest(FirstSentence(ex), "fromStep out of range");
        }

        return fork is null
            ? ApiProblems.RunNotFound(id)
            : TypedResults.Accepted(RunLocation(fork.RunId), new RunAccepted(fork.RunId, fork.Status));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRun(string id, RunStore store, RunControl control)
    {
        var run = await store.GetAsync(id);
        if (run is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        // Cancelling first logs why and tells its worker to stop now rather than at its next commit.
        if (!RunStatus.IsFinal(run.Status))
        {
            await control.CancelAsync(id, "deleted by request");
        }

        return await store.DeleteAsync(id) ? TypedResults.NoContent() : ApiProblems.RunNotFound(id);
    }

    private static RunDetails ToDetails(RunCheckpoint run) => new(
        run.RunId,
        run.Agent,
        run.Status,
        run.CurrentStep,
        run.Steps.Select(step => new RunStep(step.Step, step.Name, StoredJson.ToElement(step.ResultJson), step.CommittedAt,
            run.StepUsage.TryGetValue(step.Step, out var used) ? RunUsage.From(used) : null)).ToList(),
        StoredJson.ToElement(run.InputJson),
        run.CreatedAt,
        run.UpdatedAt,
        string.IsNullOrEmpty(run.Error) ? null : run.Error,
        run.Approvals
            .Select(approval => new RunApproval(approval.Step, approval.Prompt, approval.DecisionJson is null ? null : StoredJson.ToElement(approval.DecisionJson)))
            .ToList(),
        PendingApprovalOf(run),
        string.IsNullOrEmpty(run.ForkedFrom) ? null : run.ForkedFrom,
        RunUsage.From(run.Usage),
        run.StepUsage.Select(pair => new RunStepUsage(pair.Key, RunUsage.From(pair.Value))).OrderBy(step => step.Step).ToList(),
        BudgetLimits.From(run.Budget),
        run.Replay?.Of);

    // The step that waits is the one after the last committed step, and it has asked but not been answered.
    private static PendingApproval? PendingApprovalOf(RunCheckpoint run) =>
        run.Status == RunStatus.Waiting
        && run.Approvals.FirstOrDefault(approval => approval.Step == run.CurrentStep + 1) is { Prompt: { } prompt, DecisionJson: null } approval
            ? new PendingApproval(approval.Step, prompt)
            : null;

    internal static RunLogEntry ToLogEntry(LogEntry entry) =>
        new(entry.Id, entry.Action, StoredJson.ToElement(entry.DetailsJson), entry.Timestamp, entry.Step, entry.Attempt, entry.Worker);

    internal static string RunLocation(string runId) => $"/runs/{runId}";

    internal static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;

    // Argument exceptions append "(Parameter '…')" and the actual value; the first line is what a client needs.
    private static string FirstSentence(ArgumentException exception) =>
        exception.Message.Split(" (Parameter", 2)[0].Split('\n', 2)[0].TrimEnd();
}
