using System.Text.Json;
using AgentAspire.Agents.Chat;
using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Tests;

/// <summary>Executes an agent's steps in process the way a worker does, keeping results as a checkpoint would.</summary>
internal sealed class StepRunner
{
    private const string RunId = "run-test";

    public StepRunner(IAgent agent, string inputJson, IChatClient? chat = null)
    {
        Agent = Assert.IsAssignableFrom<IStepAgent>(agent);
        Input = Json.Parse(inputJson);
        // Read once per run, as the worker does.
        TypedInput = agent.ReadInput(Input);
        Chat = chat ?? new OfflineChatClient();
        Tools = new InMemoryToolRunner(ToolInvocation.For(RunId, 1, 1));
    }

    public IStepAgent Agent { get; }

    public JsonElement Input { get; }

    public object TypedInput { get; }

    public IChatClient Chat { get; }

    public InMemoryToolRunner Tools { get; }

    /// <summary>Step results by name, stored as JSON text the way the checkpoint stores them.</summary>
    public Dictionary<string, string> Checkpoint { get; } = new(StringComparer.Ordinal);

    public StepContext ContextFor(int step, ApprovalDecision? approval = null, CancellationToken cancellationToken = default) =>
        new(RunId, Agent.Name, step, Agent.Steps[step - 1].Name, Attempt: 1, Input,
            Checkpoint.ToDictionary(pair => pair.Key, pair => Json.Parse(pair.Value), StringComparer.Ordinal),
            Tools, Chat, approval, cancellationToken) { TypedInput = TypedInput };

    /// <summary>Runs one step; a finished step's result goes into the checkpoint.</summary>
    public async Task<StepResult> RunStepAsync(int step, ApprovalDecision? approval = null)
    {
        var result = await Agent.Steps[step - 1].ExecuteAsync(ContextFor(step, approval, TestContext.Current.CancellationToken));
        if (!result.IsAwaitingApproval)
        {
            Checkpoint[Agent.Steps[step - 1].Name] = result.Value!.Value.GetRawText();
        }

        return result;
    }

    public async Task RunAllAsync()
    {
        for (var step = 1; step <= Agent.Steps.Count; step++)
        {
            var result = await RunStepAsync(step);
            Assert.False(result.IsAwaitingApproval, $"step {step} unexpectedly awaits approval");
        }
    }

    public JsonElement Result(string stepName) => Json.Parse(Checkpoint[stepName]);
}
