using System.Text.Json;
using AgentAspire.Agents;
using AgentAspire.Agents.Research;
using AgentAspire.Agents.Research.Tools;
using Microsoft.Agents.AI.Workflows;

namespace AgentAspire.AgentFramework.Research;

/// <summary>
/// The research agent written as an Agent Framework workflow: plan → search → analyze → respond, one executor per
/// superstep, with the same offline tools and chat model. With <c>requireApproval</c> the workflow asks a person
/// through a request port before it answers; the run waits for the approve action.
/// </summary>
public sealed class ResearchWorkflowAgent : WorkflowAgent<ResearchInput, ResearchState>
{
    /// <summary>The agent's name.</summary>
    public const string AgentName = "research-workflow";

    /// <summary>The shared-state key where the workflow keeps its state while a person decides.</summary>
    private const string PendingStateKey = "pending";

    /// <summary>A scope both the asking and the deciding executor read; an executor's default scope is its own.</summary>
    private const string SharedScope = "research";

    // The research agent's own steps: the workflow changes how they are run, not what they do.
    private readonly IAgentStep _plan;
    private readonly IAgentStep _search;
    private readonly IAgentStep _analyze;
    private readonly IAgentStep _respond;

    /// <summary>Creates the agent.</summary>
    /// <param name="timeProvider">The clock the executors' delays run on.</param>
    /// <param name="webSearch">The search tool of the search executor.</param>
    /// <param name="textStats">The text statistics tool of the analyze executor.</param>
    /// <param name="glossary">The glossary tool of the respond executor.</param>
    public ResearchWorkflowAgent(TimeProvider timeProvider, WebSearchTool webSearch, TextStatsTool textStats, GlossaryTool glossary)
    {
        var research = new ResearchAgent(timeProvider, webSearch, textStats, glossary);
        (_plan, _search, _analyze, _respond) = (research.Steps[0], research.Steps[1], research.Steps[2], research.Steps[3]);
    }

    /// <inheritdoc />
    public override string Name => AgentName;

    /// <inheritdoc />
    public override string Description =>
        "The research agent as a Microsoft Agent Framework workflow: plan, search, analyze and respond as executors, checkpointed on Valkey after every superstep.";

    /// <inheritdoc />
    protected override IReadOnlyList<string> ExecutorNames => [_plan.Name, _search.Name, _analyze.Name, _respond.Name];

    /// <summary>The research agent's example: a question, with every option at its default.</summary>
    public override ResearchInput Example => new("How does a workflow resume from its checkpoint?");

    /// <summary>A plain string is the question, with the default options, as for the research agent.</summary>
    protected override ResearchInput FromText(string text) => new(text);

    /// <inheritdoc />
    protected override IEnumerable<string> Validate(ResearchInput input) => input.Problems();

    /// <inheritdoc />
    protected override ResearchState CreateStartMessage(ResearchInput input) =>
        new(JsonSerializer.SerializeToElement(input, AgentJson.InputOptions), new Dictionary<string, JsonElement>(StringComparer.Ordinal));

    /// <inheritdoc />
    public override Workflow Build(WorkflowRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var plan = Executor(_plan, 1, context);
        var search = Executor(_search, 2, context);
        var analyze = Executor(_analyze, 3, context);
        var respond = ((Func<ResearchState, IWorkflowContext, CancellationToken, ValueTask<JsonElement>>)(async (state, workflow, cancellationToken) =>
            (await RunStepAsync(_respond, 4, context, state, cancellationToken).ConfigureAwait(false)).Results[_respond.Name]))
            .BindAsExecutor(_respond.Name);
        var ask = ((Func<ResearchState, IWorkflowContext, CancellationToken, ValueTask<ApprovalRequest>>)(async (state, workflow, cancellationToken) =>
        {
            // Kept in the workflow's state, so it is in the checkpoint while the run waits for a person.
            await workflow.QueueStateUpdateAsync(PendingStateKey, state, SharedScope, cancellationToken).ConfigureAwait(false);
            return new ApprovalRequest($"Write and publish the answer to: {context.GetInput<ResearchInput>().Question}");
        })).BindAsExecutor("ask");
        var approval = RequestPort.Create<ApprovalRequest, ApprovalDecision>("approval");
        var decide = ((Func<ApprovalDecision, IWorkflowContext, CancellationToken, ValueTask<ResearchState>>)(async (decision, workflow, cancellationToken) =>
        {
            var state = await workflow.ReadStateAsync<ResearchState>(PendingStateKey, SharedScope, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The research state kept for the approval is missing.");
            return state with { Approval = decision };
        })).BindAsExecutor("decide");

        return new WorkflowBuilder(plan)
            .WithName(AgentName)
            .AddEdge(plan, search)
            .AddEdge(search, analyze)
            .AddEdge<ResearchState>(analyze, respond, state => !NeedsApproval(state, context))
            .AddEdge<ResearchState>(analyze, ask, state => NeedsApproval(state, context))
            .AddEdge(ask, approval)
            .AddEdge(approval, decide)
            .AddEdge(decide, respond)
            .WithOutputFrom(respond)
            .Build();
    }

    private static bool NeedsApproval(ResearchState? state, WorkflowRunContext run) =>
        state is not null && state.Approval is null && run.GetInput<ResearchInput>().RequireApproval;

    // One executor per research step: it runs the step with the results so far and passes them on.
    private static ExecutorBinding Executor(IAgentStep step, int number, WorkflowRunContext run) =>
        ((Func<ResearchState, IWorkflowContext, CancellationToken, ValueTask<ResearchState>>)((state, _, cancellationToken) =>
            RunStepAsync(step, number, run, state, cancellationToken))).BindAsExecutor(step.Name);

    private static async ValueTask<ResearchState> RunStepAsync(IAgentStep step, int number, WorkflowRunContext run, ResearchState state, CancellationToken cancellationToken)
    {
        var context = new StepContext(run.RunId, run.AgentName, number, step.Name, run.Attempt, run.Input, state.Results,
            run.Tools, run.Chat, state.Approval, cancellationToken) { TypedInput = run.TypedInput };
        var result = await step.ExecuteAsync(context).ConfigureAwait(false);
        var value = result.Value
            ?? throw new InvalidOperationException($"Step '{step.Name}' asked for approval inside the workflow, which asks through its request port instead.");
        return state.With(step.Name, value);
    }
}
