using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Research;

/// <summary>
/// Step 4: asks the model for the final answer from the analysis and the hits, and defines the known terms with
/// <c>lookup_glossary</c>. When the input requires approval, it first waits for a person's decision.
/// </summary>
/// <param name="timeProvider">The clock the step delay runs on.</param>
/// <param name="glossary">The tool the step calls.</param>
public sealed class RespondStep(TimeProvider timeProvider, GlossaryTool glossary) : ResearchStep(timeProvider)
{
    /// <summary>The step's name.</summary>
    public const string StepName = "respond";

    private const string Instruction =
        "You answer the question from the analysis and the sources below, in at most three sentences.";

    /// <inheritdoc />
    public override string Name => StepName;

    /// <inheritdoc />
    protected override async Task<StepResult> ExecuteAfterDelayAsync(StepContext context, ResearchInput input)
    {
        if (input.RequireApproval && context.Approval is null)
        {
            return StepResult.AwaitApproval($"Write and publish the answer to: {input.Question}");
        }

        var analysis = context.GetResult<ResearchAnalysis>(AnalyzeStep.StepName);
        if (context.Approval is { Approved: false } rejection)
        {
            var reason = string.IsNullOrWhiteSpace(rejection.Comment) ? "no reason given" : rejection.Comment;
            return StepResult.Done(new ResearchAnswer(
                input.Question, $"No answer was published: a reviewer rejected it ({reason}).", analysis.Sources, [], Model: null, rejection));
        }

        var findings = context.GetResult<SearchFindings>(SearchStep.StepName);
        var material = findings.Hits.Select(hit => hit.Snippet).Prepend(analysis.Analysis);
        var messages = ResearchPrompt.Create(Instruction, input.Question, material);
        var response = await context.Chat.GetResponseAsync(messages, cancellationToken: context.CancellationToken).ConfigureAwait(false);

        var terms = await glossary.CallAsync(context, new GlossaryArgs($"{input.Question}\n{response.Text}")).ConfigureAwait(false);
        return StepResult.Done(new ResearchAnswer(
            input.Question, response.Text, analysis.Sources, terms.Entries, response.ModelId, context.Approval));
    }
}
