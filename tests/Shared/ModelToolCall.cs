namespace AgentAspire.Tests;

/// <summary>A function call a <see cref="TestModelServer"/> answers with.</summary>
/// <param name="Id">The call's id, which the tool's result must name.</param>
/// <param name="Name">The function to call.</param>
/// <param name="ArgumentsJson">Its arguments, a JSON object.</param>
internal sealed record ModelToolCall(string Id, string Name, string ArgumentsJson);
