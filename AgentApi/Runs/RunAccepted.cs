namespace AgentAspire.AgentApi.Runs;

/// <summary>The answer to a request that queued or changed a run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Status">The run's status after the request.</param>
public sealed record RunAccepted(string RunId, string Status);
