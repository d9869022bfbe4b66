using System.Text.Json;

namespace AgentAspire.AgentState.Json;

/// <summary>One place where two JSON values differ.</summary>
/// <param name="Path">Where, as a JSON path from the root: <c>$</c>, <c>$.answer</c>, <c>$.hits[2].url</c>.</param>
/// <param name="A">The first value there; null when only the second has it.</param>
/// <param name="B">The second value there; null when only the first has it.</param>
public sealed record JsonDifference(string Path, JsonElement? A, JsonElement? B);
