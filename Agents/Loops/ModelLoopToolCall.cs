using System.Text.Json;

namespace AgentAspire.Agents.Loops;

/// <summary>One tool call of a model loop.</summary>
/// <param name="Turn">The model turn that asked for it, from 1.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Arguments">The arguments the model chose.</param>
/// <param name="Error">Why the call gave the model an error instead of a result (an unknown tool, bad arguments, a refusal); null when it ran.</param>
public sealed record ModelLoopToolCall(int Turn, string Tool, JsonElement Arguments, string? Error = null);
