using Microsoft.Extensions.AI;

namespace AgentAspire.Agents.Research;

/// <summary>Step 1: derives the search queries from the question and asks the model for a plan.</summary>
/// <param name="timeProvider">The clock the step delay runs on.</param>
public sealed class PlanStep(TimeProvider timeProvider) : ResearchStep(timeProvider)
{
    /// <summary>The step's name.</summary>
    public const string StepName = "plan";

    private const string Instruction =
        "You plan research. Reply with the searches to run, one sentence each, most useful first.";

    /// <inheritdoc />
    public override string Name => StepName;

    /// <inheritdoc />
    protected override async Task<StepResult> ExecuteAfterDelayAsync(StepContext context, ResearchInput input)
    {
        var queries = SearchQueries.From(input.Question);
        var messages = ResearchPrompt.Create(Instruction, input.Question, queries.Select(query => $"Search the documentation for: {query}."));
        var response = await context.Chat.GetResponseAsync(messages, cancellationToken: context.CancellationToken).ConfigureAwait(false);
        return StepResult.Done(new ResearchPlan(input.Question, queries, response.Text));
    }
}
