using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Research;

/// <summary>Step 3: measures the hits' text with <c>text_stats</c> and asks the model for an analysis.</summary>
/// <param name="timeProvider">The clock the step delay runs on.</param>
/// <param name="textStats">The tool the step calls.</param>
public sealed class AnalyzeStep(TimeProvider timeProvider, TextStatsTool textStats) : ResearchStep(timeProvider)
{
    /// <summary>The step's name.</summary>
    public const string StepName = "analyze";

    private const string Instruction =
        "You analyse search results. Summarise what they say about the question in at most three sentences.";

    /// <inheritdoc />
    public override string Name => StepName;

    /// <inheritdoc />
    protected override async Task<StepResult> ExecuteAfterDelayAsync(StepContext context, ResearchInput input)
    {
        var findings = context.GetResult<SearchFindings>(SearchStep.StepName);
        var text = string.Join('\n', findings.Hits.Select(hit => $"{hit.Title}. {hit.Snippet}"));
        var stats = await textStats.CallAsync(context, new TextStatsArgs(text)).ConfigureAwait(false);

        // The statistics go into the instruction so the analysis quotes the sources, not the tool's numbers.
        var instruction = $"{Instruction} The sources have {stats.WordCount} words; their most frequent keywords are {string.Join(", ", stats.TopKeywords.Select(keyword => keyword.Word))}.";
        var messages = ResearchPrompt.Create(instruction, input.Question, findings.Hits.Select(hit => hit.Snippet));
        var response = await context.Chat.GetResponseAsync(messages, cancellationToken: context.CancellationToken).ConfigureAwait(false);
        return StepResult.Done(new ResearchAnalysis(input.Question, stats, response.Text, findings.Hits.Select(hit => hit.Url).ToArray()));
    }
}
