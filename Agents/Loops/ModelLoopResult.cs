namespace AgentAspire.Agents.Loops;

/// <summary>What a model loop ends with: the model's final answer and how it got there.</summary>
/// <param name="Answer">The model's last text: the answer, or what it had when the turn limit stopped it.</param>
/// <param name="Turns">How many model turns the loop took.</param>
/// <param name="ToolCalls">Every tool call the model made, in order.</param>
/// <param name="TurnLimitReached">True when the loop stopped at its turn limit before the model answered.</param>
/// <param name="Model">The model that gave the last answer.</param>
public sealed record ModelLoopResult(string Answer, int Turns, IReadOnlyList<ModelLoopToolCall> ToolCalls, bool TurnLimitReached, string? Model);
