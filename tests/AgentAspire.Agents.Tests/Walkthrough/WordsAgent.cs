namespace AgentAspire.Agents.Words;

/// <summary>The input of the words agent: <c>{ "text": "...", "count": 3 }</c>, or just the text as a string.</summary>
public sealed record WordsInput(string Text, int Count = 3);

/// <summary>Finds a text's most frequent words, then writes a sentence about them: two steps, one tool.</summary>
public sealed class WordsAgent(TopWordsTool topWords) : Agent<WordsInput>
{
    /// <inheritdoc />
    public override string Name => "words";

    /// <inheritdoc />
    public override string Description => "Finds the most frequent words of a text.";

    /// <inheritdoc />
    public override IReadOnlyList<IAgentStep> Steps { get; } = [new CountStep(topWords), new ReportStep()];

    /// <summary>What the LogViewer's start page offers for this agent; <c>GET /agents</c> lists it.</summary>
    public override WordsInput Example => new("Valkey streams keep logs; streams keep order.");

    /// <summary>A plain string is the text, with the default count.</summary>
    protected override WordsInput FromText(string text) => new(text);

    /// <inheritdoc />
    protected override IEnumerable<string> Validate(WordsInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Text))
        {
            yield return "'text' must not be empty.";
        }

        if (input.Count is < 1 or > 10)
        {
            yield return $"'count' must be between 1 and 10, got {input.Count}.";
        }
    }
}

/// <summary>Step 1: asks the tool for the top words; its result is checkpointed before step 2 starts.</summary>
public sealed class CountStep(TopWordsTool topWords) : AgentStep<WordsInput>
{
    /// <inheritdoc />
    public override string Name => "count";

    /// <inheritdoc />
    protected override async Task<StepResult> ExecuteAsync(StepContext context, WordsInput input)
    {
        var top = await topWords.CallAsync(context, new TopWordsArgs(input.Text, input.Count));
        return StepResult.Done(top);
    }
}

/// <summary>Step 2: reads step 1's result (restored from the checkpoint after a crash) and writes the answer.</summary>
public sealed class ReportStep : AgentStep<WordsInput>
{
    /// <inheritdoc />
    public override string Name => "report";

    /// <inheritdoc />
    protected override Task<StepResult> ExecuteAsync(StepContext context, WordsInput input)
    {
        var top = context.GetResult<TopWords>("count");
        var sentence = top.Words.Count == 0
            ? $"The text has {top.WordCount} words, none of four letters or more."
            : $"The text has {top.WordCount} words; the most frequent: {string.Join(", ", top.Words)}.";
        return Task.FromResult(StepResult.Done(sentence));
    }
}
