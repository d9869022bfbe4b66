using AgentAspire.Agents.Loops;
using AgentAspire.Agents.Research;

namespace AgentAspire.Agents.ResearchLoop;

/// <summary>The input of the <c>research-loop</c> agent.</summary>
/// <param name="Question">What to answer.</param>
/// <param name="MaxTurns">The most model turns, from 1 to <see cref="ModelLoopStep{TInput}.MaxTurnLimit"/>.</param>
/// <param name="TurnDelayMs">A pause before every model turn, to watch the loop (or crash a worker in the middle of it).</param>
public sealed record ResearchLoopInput(string Question, int MaxTurns = ResearchLoopInput.DefaultMaxTurns, int TurnDelayMs = 0)
{
    /// <summary>Enough turns for the model to use each research tool once and answer.</summary>
    public const int DefaultMaxTurns = 6;

    /// <summary>Every problem of this input, as messages naming the field.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Question))
        {
            yield return "'question' must not be empty.";
        }
        else if (Question.Length > ResearchInput.MaxQuestionLength)
        {
            yield return $"'question' must be at most {ResearchInput.MaxQuestionLength} characters, got {Question.Length}.";
        }

        if (MaxTurns is < 1 or > ModelLoopStep<ResearchLoopInput>.MaxTurnLimit)
        {
            yield return $"'maxTurns' must be between 1 and {ModelLoopStep<ResearchLoopInput>.MaxTurnLimit}, got {MaxTurns}.";
        }

        if (TurnDelayMs is < 0 or > ResearchInput.MaxStepDelayMs)
        {
            yield return $"'turnDelayMs' must be between 0 and {ResearchInput.MaxStepDelayMs}, got {TurnDelayMs}.";
        }
    }
}
