using System.Text.Json;
using AgentAspire.Agents.Journaling;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Leases;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Running;

/// <summary>
/// One claim of a run, as the worker hands it to the <see cref="IAgentRunner"/> of the agent's kind: the lease every
/// write goes through, the agent, its input read once, the chat model and the tools.
/// </summary>
/// <example>
/// <code>
/// var tools = run.ToolsFor(step);   // tool calls of that step: cached, fenced, logged as its tool_call entries
/// await run.Lease.CommitStepAsync(step, "my-step", resultJson, detailsJson, isLastStep: true);
/// </code>
/// </example>
public sealed class AgentRun
{
    private readonly Func<int, IToolRunner> _toolsForStep;

    /// <summary>Describes a claim of a run.</summary>
    /// <param name="lease">The claim: the run's checkpoint, and every write under its lease and fence.</param>
    /// <param name="agent">The run's agent.</param>
    /// <param name="input">The run's input as stored.</param>
    /// <param name="typedInput">The input as <see cref="IAgent.ReadInput"/> returned it.</param>
    /// <param name="chat">The chat model.</param>
    /// <param name="toolsForStep">Gives the tool runner of a step number: its calls carry that step in the log and in their idempotency key.</param>
    public AgentRun(RunLease lease, IAgent agent, JsonElement input, object typedInput, IChatClient chat, Func<int, IToolRunner> toolsForStep)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(typedInput);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(toolsForStep);
        Lease = lease;
        Agent = agent;
        Input = input;
        TypedInput = typedInput;
        Chat = chat;
        _toolsForStep = toolsForStep;
        Spend = new RunSpend(lease.Checkpoint.Usage, (agent.DefaultBudget ?? RunBudget.Unlimited).With(lease.Checkpoint.Budget));
    }

    /// <summary>What the run has spent on model calls and may spend, followed through this claim.</summary>
    public RunSpend Spend { get; }

    /// <summary>The claim: the run's checkpoint as claimed, and the writes a worker makes for it.</summary>
    public RunLease Lease { get; }

    /// <summary>The run's id.</summary>
    public string RunId => Lease.RunId;

    /// <summary>How many times the run was claimed, starting at 1.</summary>
    public int Attempt => Lease.Checkpoint.Attempt;

    /// <summary>The run's agent.</summary>
    public IAgent Agent { get; }

    /// <summary>The run's input as stored.</summary>
    public JsonElement Input { get; }

    /// <summary>The run's input as <see cref="IAgent.ReadInput"/> returned it, read once per claim.</summary>
    public object TypedInput { get; }

    /// <summary>The chat model.</summary>
    public IChatClient Chat { get; }

    /// <summary>The tools of step <paramref name="step"/>: through the tool cache, fenced, each call logged as a <c>tool_call</c> of that step.</summary>
    /// <param name="step">The 1-based number of the step that calls them.</param>
    /// <returns>A tool runner for that step.</returns>
    public IToolRunner ToolsFor(int step) => _toolsForStep(step);

    /// <summary>A person's decision on <paramref name="step"/>, when the run waited there and one was given.</summary>
    /// <param name="step">The step the run waited on.</param>
    /// <returns>The decision, or <see langword="null"/>.</returns>
    public ApprovalDecision? ApprovalFor(int step) =>
        Lease.Checkpoint.Approvals.FirstOrDefault(approval => approval.Step == step)?.DecisionJson is { } decision
            ? JsonSerializer.Deserialize<ApprovalDecision>(decision, AgentJson.Options)
            : null;
}
