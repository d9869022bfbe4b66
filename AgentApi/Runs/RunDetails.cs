using System.Text.Json;

namespace AgentAspire.AgentApi.Runs;

/// <summary>Everything about one run: <c>GET /runs/{id}</c>.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Agent">The agent that runs it.</param>
/// <param name="Status">queued, in_progress, waiting, complete, failed or cancelled.</param>
/// <param name="CurrentStep">The last committed step; 0 before the first.</param>
/// <param name="Steps">Committed steps in order, with their results.</param>
/// <param name="Input">The run's input.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="UpdatedAt">When the run last changed.</param>
/// <param name="Error">Why the run failed, if it did.</param>
/// <param name="Approvals">Approval requests and decisions, by step.</param>
/// <param name="WaitingFor">The approval the run waits for, while it is waiting.</param>
/// <param name="ForkedFrom">The run this one was forked from.</param>
/// <param name="Usage">What the run's model calls used: tokens, cost and calls, summed as each call was recorded.</param>
/// <param name="StepUsage">The same for each step that called a model, the one that runs or waits now included.</param>
/// <param name="Budget">The run's own budget (given at start or raised by an approval); null for its agent's default.</param>
/// <param name="ReplayOf">The run this one replays (<c>POST /runs/{id}/replay</c>); null for a run of its own.</param>
public sealed record RunDetails(
    string RunId,
    string Agent,
    string Status,
    int CurrentStep,
    IReadOnlyList<RunStep> Steps,
    JsonElement Input,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    string? Error,
    IReadOnlyList<RunApproval> Approvals,
    PendingApproval? WaitingFor,
    string? ForkedFrom,
    RunUsage Usage,
    IReadOnlyList<RunStepUsage> StepUsage,
    BudgetLimits? Budget,
    string? ReplayOf);

/// <summary>What the model calls of one step used, the step that runs or waits now included.</summary>
/// <param name="Step">The step's number.</param>
/// <param name="Usage">Its tokens, cost and calls.</param>
public sealed record RunStepUsage(int Step, RunUsage Usage);

/// <summary>One committed step.</summary>
/// <param name="Step">The 1-based step number.</param>
/// <param name="Name">The step's name.</param>
/// <param name="Result">The step's result.</param>
/// <param name="At">When the step was committed.</param>
public sealed record RunStep(int Step, string Name, JsonElement Result, DateTimeOffset? At, RunUsage? Usage = null);

/// <summary>A step's request for approval and, once given, the decision.</summary>
/// <param name="Step">The step that asked.</param>
/// <param name="Prompt">What the step asked.</param>
/// <param name="Decision">The decision (<c>{ "approved": true, "comment": "…" }</c>), or null while waiting.</param>
public sealed record RunApproval(int Step, string? Prompt, JsonElement? Decision);

/// <summary>The approval a waiting run needs before its next step: <c>POST /runs/{id}/approve</c>.</summary>
/// <param name="Step">The step that waits.</param>
/// <param name="Prompt">What it asks.</param>
public sealed record PendingApproval(int Step, string Prompt);
