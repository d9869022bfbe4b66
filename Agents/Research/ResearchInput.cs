using AgentAspire.Agents.Research.Tools;

namespace AgentAspire.Agents.Research;

/// <summary>
/// The input of the research agent: <c>{ "question": "...", "stepDelayMs": 0, "requireApproval": false, "failSearchAttempts": 0, "searchLatencyMs": 0 }</c>,
/// or just the question as a string.
/// </summary>
/// <param name="Question">What to research, 1 to 2000 characters.</param>
/// <param name="StepDelayMs">How long each step waits before working, 0 to 60000 ms, so a run can be watched live.</param>
/// <param name="RequireApproval">Whether the respond step waits for a person's approval first.</param>
/// <param name="FailSearchAttempts">How many tries of the search step fail before one works, 0 to 100, to watch retries and dead letters.</param>
/// <param name="SearchLatencyMs">
/// How long each <c>web_search</c> call takes, 0 to 60000 ms, standing in for a slow paid search API; a cached result skips it.
/// </param>
public sealed record ResearchInput(string Question, int StepDelayMs = 0, bool RequireApproval = false, int FailSearchAttempts = 0, int SearchLatencyMs = 0)
{
    /// <summary>The most failing search tries accepted.</summary>
    public const int MaxFailSearchAttempts = 100;

    /// <summary>The longest question accepted, in characters.</summary>
    public const int MaxQuestionLength = 2000;

    /// <summary>The longest step delay accepted, in milliseconds.</summary>
    public const int MaxStepDelayMs = 60_000;

    /// <summary>What the type alone does not say: ranges and lengths.</summary>
    /// <returns>One message per problem.</returns>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Question))
        {
            yield return "'question' must not be empty.";
        }
        else if (Question.Length > MaxQuestionLength)
        {
            yield return $"'question' must be at most {MaxQuestionLength} characters, got {Question.Length}.";
        }

        if (StepDelayMs is < 0 or > MaxStepDelayMs)
        {
            yield return $"'stepDelayMs' must be between 0 and {MaxStepDelayMs}, got {StepDelayMs}.";
        }

        if (FailSearchAttempts is < 0 or > MaxFailSearchAttempts)
        {
            yield return $"'failSearchAttempts' must be between 0 and {MaxFailSearchAttempts}, got {FailSearchAttempts}.";
        }

        if (SearchLatencyMs is < 0 or > WebSearchArgs.MaxLatencyMs)
        {
            yield return $"'searchLatencyMs' must be between 0 and {WebSearchArgs.MaxLatencyMs}, got {SearchLatencyMs}.";
        }
    }
}
