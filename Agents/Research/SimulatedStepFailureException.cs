namespace AgentAspire.Agents.Research;

/// <summary>A failure the input asked for (<c>failSearchAttempts</c>), to show retries and dead letters at work.</summary>
public sealed class SimulatedStepFailureException(string message) : Exception(message);
