using AgentAspire.Agents;
using Microsoft.Extensions.AI;

namespace AgentAspire.AgentWorker.Tests.TestAgents;

public sealed record ReplayableInput(string Text);

/// <summary>What the test changes between a run and its replay, as a code change would: the prompt and a result.</summary>
public sealed class ReplayableCode
{
    public string Prompt { get; set; } = "Answer briefly";

    public string Suffix { get; set; } = "";
}

/// <summary>Asks the model, calls a tool with the answer, asks the model again: every kind of call a replay answers.</summary>
public sealed class ReplayableAgent(ReplayableCode code, CountingTool tool) : Agent<ReplayableInput>
{
    public const string AgentName = "replayable";

    public override string Name => AgentName;

    public override string Description => "Asks, counts, asks again.";

    public override IReadOnlyList<IAgentStep> Steps { get; } = [new AskStep(code), new CountStep(code, tool), new SummarizeStep()];

    private sealed class AskStep(ReplayableCode code) : AgentStep<ReplayableInput>
    {
        public override string Name => "ask";

        protected override async Task<StepResult> ExecuteAsync(StepContext context, ReplayableInput input)
        {
            var response = await context.Chat.GetResponseAsync($"{code.Prompt}: {input.Text}", cancellationToken: context.CancellationToken);
            return StepResult.Done(new { answer = response.Text });
        }
    }

    private sealed class CountStep(ReplayableCode code, CountingTool tool) : AgentStep<ReplayableInput>
    {
        public override string Name => "count";

        protected override async Task<StepResult> ExecuteAsync(StepContext context, ReplayableInput input)
        {
            var answer = context.GetResult<System.Text.Json.JsonElement>("ask").GetProperty("answer").GetString()!;
            var letters = await tool.CallAsync(context, new CountLettersArgs(answer));
            return StepResult.Done(new { letters, note = "counted" + code.Suffix });
        }
    }

    private sealed class SummarizeStep : AgentStep<ReplayableInput>
    {
        public override string Name => "summarize";

        protected override async Task<StepResult> ExecuteAsync(StepContext context, ReplayableInput input)
        {
            var answer = context.GetResult<System.Text.Json.JsonElement>("ask").GetProperty("answer").GetString()!;
            var response = await context.Chat.GetResponseAsync($"Summarize: {answer}", cancellationToken: context.CancellationToken);
            return StepResult.Done(new { summary = response.Text });
        }
    }
}
